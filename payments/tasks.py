from django_tasks import task


@task()
def send_payment_email(payment_id, kind):
    """Send one e-mail about a payment (enqueued on commit by the services)."""
    from .emails import send
    from .models import Payment

    payment = Payment.objects.select_related("registration__occurrence__page").filter(pk=payment_id).first()
    if payment is not None:
        send(payment, kind)


@task()
def send_refund(refund_id):
    """Ask Stripe for a refund recorded by ``services.request_refund``."""
    from .services import send_refund_to_stripe

    send_refund_to_stripe(refund_id)


@task()
def expire_session(session_id):
    """Close a Checkout Session whose seat was given up or released."""
    from .services import expire_session_quietly

    expire_session_quietly(session_id)
