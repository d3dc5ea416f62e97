"""The newsletter's figures in the activity report: issues sent, copies delivered and public
subscribers at the end of the period: SQL aggregates, in one query per period."""

from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsletter.models import Delivery, DeliveryStatus, Sending, SendingStatus, Subscriber

SECTION = "newsletter"
SECTION_LABEL = gettext_lazy("La lettre RESECO")


def _scalars(**querysets):
    """Each queryset (of one aggregate value) as a scalar subquery of ONE SELECT: one query."""
    parts, params = [], []
    for name, queryset in querysets.items():
        sql, sql_params = queryset.query.sql_with_params()
        parts.append(f"({sql}) AS {name}")
        params.extend(sql_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return dict(zip(querysets, cursor.fetchone(), strict=True))


def figures(builder):
    """Adds the section's figures to the report ``builder`` (reports.figures._Builder)."""
    period = builder.period
    start, end = period.start_at, period.end_before
    sent = Delivery.objects.filter(status=DeliveryStatus.SENT, sent_at__gte=start, sent_at__lt=end)
    values = _scalars(
        issues=Sending.objects.filter(status=SendingStatus.DONE, finished_at__gte=start, finished_at__lt=end)
        .values("status")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        copies=sent.values("status").annotate(n=Count("pk")).values("n")[:1],
        people=sent.values("status").annotate(n=Count("email", distinct=True)).values("n")[:1],
        subscribers=Subscriber.objects.filter(confirmed_at__lt=end, public_letter=True)
        .filter(Q(unsubscribed_at__isnull=True) | Q(unsubscribed_at__gte=end))
        .values("public_letter")
        .annotate(n=Count("pk"))
        .values("n")[:1],
    )
    values = {key: value or 0 for key, value in values.items()}
    builder.figure("newsletter_issues", SECTION, _("Numéros de la lettre envoyés"), values["issues"])
    builder.figure("newsletter_copies", SECTION, _("Exemplaires de la lettre envoyés"), values["copies"])
    builder.figure("newsletter_recipients", SECTION, _("Destinataires distincts de la lettre"), values["people"])
    builder.figure("newsletter_subscribers", SECTION, _("Abonnés à la lettre en fin de période"), values["subscribers"])
