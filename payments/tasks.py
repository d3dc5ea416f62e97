from django.db import transaction

from django_tasks import task

from .emails import send
from .models import Payment


@task()
def send_payment_email(payment_id, kind):
    """Send one e-mail about a payment (enqueued on commit by the services)."""
    payment = Payment.objects.select_related("registration__occurrence__page").filter(pk=payment_id).first()
    if payment is not None:
        send(payment, kind)


@task()
def send_refund(refund_id):
    """Ask Stripe for a refund recorded by ``refunds.request_refund``."""
    from .refunds import send_refund_to_stripe  # refunds enqueue these tasks: loaded on use

    send_refund_to_stripe(refund_id)


@task()
def expire_session(session_id):
    """Close a Checkout Session whose seat was given up or released."""
    from .refunds import expire_session_quietly  # refunds enqueue these tasks: loaded on use

    expire_session_quietly(session_id)


def email_on_commit(payment, kind):
    """Send the e-mail ``kind`` about ``payment`` once the current transaction commits."""
    pk = payment.pk
    transaction.on_commit(lambda: send_payment_email.enqueue(pk, kind))
