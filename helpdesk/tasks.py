"""E-mails of the helpdesk, sent in the background (django-tasks), enqueued on commit."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from django_tasks import task

from . import conf
from .models import Message


def _absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _send(message_id, template, recipients, url_name):
    message = Message.objects.select_related("question__author", "question__organisation").get(pk=message_id)
    question = message.question
    to = recipients(question)
    if not to:  # the member has deleted their account
        return
    context = {"question": question, "message": message, "url": _absolute(reverse(url_name, args=[question.pk]))}
    subject = render_to_string(f"helpdesk/email/{template}_subject.txt", context)
    send_mail(
        " ".join(subject.split()),  # one line: a topic may hold a line break (an e-mail header may not)
        render_to_string(f"helpdesk/email/{template}.txt", context),
        None,
        to,
    )


@task()
def notify_member(message_id):
    """Tell the member that the staff answered their question."""
    _send(
        message_id, "answered", lambda question: [question.author.email] if question.author else [], "helpdesk:thread"
    )


@task()
def notify_staff(message_id):
    """Tell the staff that a member asked a question or followed up."""
    _send(message_id, "new_message", lambda question: [conf.STAFF_EMAIL], "helpdesk_admin:thread")
