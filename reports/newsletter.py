"""The newsletter's figures in the activity report: issues sent, copies delivered and public
subscribers at the end of the period (SQL aggregates, a fixed number of queries)."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsletter.models import Delivery, DeliveryStatus, Sending, SendingStatus, Subscriber

SECTION = ("newsletter", gettext_lazy("La lettre RESECO"))


def figures(builder):
    """Adds the section's figures to the report ``builder`` (reports.figures._Builder)."""
    period = builder.period
    start, end = period.start_at, period.end_before
    sent = Sending.objects.filter(status=SendingStatus.DONE, finished_at__gte=start, finished_at__lt=end)
    copies = Delivery.objects.filter(status=DeliveryStatus.SENT, sent_at__gte=start, sent_at__lt=end).aggregate(
        copies=Count("pk"), people=Count("email", distinct=True)
    )
    subscribers = Subscriber.objects.filter(confirmed_at__lt=end, public_letter=True).filter(
        Q(unsubscribed_at__isnull=True) | Q(unsubscribed_at__gte=end)
    )
    builder.figure("newsletter_issues", SECTION[0], _("Numéros de la lettre envoyés"), sent.count())
    builder.figure("newsletter_copies", SECTION[0], _("Exemplaires de la lettre envoyés"), copies["copies"])
    builder.figure("newsletter_recipients", SECTION[0], _("Destinataires distincts de la lettre"), copies["people"])
    builder.figure(
        "newsletter_subscribers", SECTION[0], _("Abonnés à la lettre en fin de période"), subscribers.count()
    )
