"""E-mails of grouped purchases, sent in the background (django-tasks), enqueued on commit."""

import datetime

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.core.mail.message import EmailMessage
from django.template.loader import render_to_string

from django_tasks import task

from accounts.models import Referent
from base.french_dates import french_date

from .models import MEMBER_PHASES, CoordinatorMessage, JointPurchasePage, Participation, Phase, ReminderKind
from .queries import member_contacts


def _page_url(page, suffix=""):
    url = page.url or "/"
    if not url.startswith("http"):
        url = settings.SITE_URL.rstrip("/") + url
    return url + suffix


def _render(template, context):
    subject = " ".join(render_to_string(f"jointpurchases/email/{template}_subject.txt", context).split())
    return subject, render_to_string(f"jointpurchases/email/{template}.txt", context)


@task()
def send_coordinator_message(message_id):
    """The coordinator's message, one e-mail per participant's contact (nobody sees the others)."""
    message = CoordinatorMessage.objects.select_related("purchase", "sender").get(pk=message_id)
    purchase = message.purchase
    addresses = sorted(
        set(
            Participation.objects.filter(purchase=purchase)
            .active()
            .exclude(contact_email="")
            .values_list("contact_email", flat=True)
        )
    )
    context = {"message": message, "purchase": purchase, "url": _page_url(purchase)}
    subject, body = _render("coordinator_message", context)
    reply_to = [message.sender.email] if message.sender and message.sender.email else None
    with get_connection() as connection:
        for address in addresses:
            EmailMessage(subject, body, None, [address], reply_to=reply_to, connection=connection).send()


def reminder_recipients(purchase, kind, organisation_id):
    if kind == ReminderKind.COORDINATOR:
        return sorted(
            set(Referent.objects.filter(organisation_id=organisation_id).values_list("user__email", flat=True))
        )
    return member_contacts(purchase, [organisation_id])[organisation_id]


@task()
def send_reminder(purchase_id, phase, deadline, kind, organisation_id):
    """A deadline is near: tell the coordinator, or a member body that has not answered."""
    purchase = JointPurchasePage.objects.get(pk=purchase_id)
    to = reminder_recipients(purchase, kind, organisation_id)
    if not to:
        return
    day = datetime.date.fromisoformat(deadline)
    context = {
        "purchase": purchase,
        "phase": Phase(phase).label,
        "deadline": french_date(day),
        "coordinator": kind == ReminderKind.COORDINATOR,
        "url": _page_url(purchase),
        # The coordinator confirms the reminders of the phases that concern the members.
        "reminders_url": _page_url(purchase, purchase.reverse_subpage("reminders")) if phase in MEMBER_PHASES else "",
    }
    subject, body = _render("reminder", context)
    send_mail(subject, body, None, to)
