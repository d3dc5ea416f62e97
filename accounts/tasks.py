"""Accounts' e-mails, sent in the background (django-tasks), enqueued on commit."""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from django_tasks import task


@task()
def send_account_email(template, to, context):
    """``context`` holds plain strings (a task's arguments are JSON)."""
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
    body = render_to_string(f"accounts/email/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to])


def enqueue_email(template, to, context):
    transaction.on_commit(lambda: send_account_email.enqueue(template, to, context))
