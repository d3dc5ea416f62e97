"""E-mails of the helpdesk, sent in the background (django-tasks), enqueued on commit."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from django_tasks import task

from . import conf


def _absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@task()
def notify_member(message_id):
    """Tell the member that the staff answered their question."""
    from .models import Message

    message = Message.objects.select_related("question__author").get(pk=message_id)
    question = message.question
    context = {
        "question": question,
        "message": message,
        "url": _absolute(reverse("helpdesk:thread", args=[question.pk])),
    }
    send_mail(
        render_to_string("helpdesk/email/answered_subject.txt", context).strip(),
        render_to_string("helpdesk/email/answered.txt", context),
        None,
        [question.author.email],
    )


@task()
def notify_staff(message_id):
    """Tell the staff that a member asked a question or followed up."""
    from .models import Message

    message = Message.objects.select_related("question__author", "question__organisation").get(pk=message_id)
    question = message.question
    context = {
        "question": question,
        "message": message,
        "url": _absolute(reverse("helpdesk_admin:thread", args=[question.pk])),
    }
    send_mail(
        render_to_string("helpdesk/email/new_message_subject.txt", context).strip(),
        render_to_string("helpdesk/email/new_message.txt", context),
        None,
        [conf.STAFF_EMAIL],
    )
