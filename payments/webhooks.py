"""Stripe's answers: fulfil or fail a Checkout Session, record refunds made at Stripe, apply a
verified webhook event, reconcile pending payments.

Lock order, everywhere: the occurrence row (the engine's ``lock_occurrence``), then the payment
row. Fulfilment is idempotent: the webhook, the success page and the reconciliation command may
all deliver the same session, any number of times, concurrently; only the first changes anything.
"""

import logging
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registrations.errors import RegistrationError
from registrations.models import RegistrationStatus
from registrations.services import cancel, confirm, lock_occurrence

from . import stripe_gateway
from .errors import PaymentError
from .invoicing import issue_invoice
from .models import CENT, SETTLED, Payment, PaymentStatus, Refund, RefundStatus, StripeEvent
from .refunds import request_refund
from .tasks import email_on_commit

logger = logging.getLogger(__name__)


def _locked_payment(**lookup):
    """Lock the occurrence, then the payment (the lock order of the whole app)."""
    payment = Payment.objects.filter(**lookup).select_related("registration").first()
    if payment is None:
        return None
    lock_occurrence(payment.registration.occurrence_id)
    return Payment.objects.select_for_update().select_related("registration").get(pk=payment.pk)


@transaction.atomic
def fulfil_checkout_session(session):
    """Apply a Checkout Session's outcome (a dict as Stripe sends it). Idempotent.

    Paid: the payment is marked paid and the registration confirmed; if its hold expired and no
    seat is left, the payment is refunded in full and the person told. Returns the payment (None
    for a session the site does not know)."""
    if not session.get("id"):
        return None
    payment = _locked_payment(stripe_session_id=session["id"])
    if payment is None:
        return None
    if session.get("payment_status") not in ("paid", "no_payment_required"):
        return payment  # an asynchronous method still running: wait for its event
    if payment.status in SETTLED:
        return payment
    if session.get("amount_total") is not None and _cents(session, "amount_total") != payment.amount_cents:
        logger.warning(
            "Stripe session %s: amount %s differs from %s", session["id"], session["amount_total"], payment.amount_cents
        )
        payment.note = _("Montant reçu différent du montant dû : à vérifier.")
    payment.status, payment.paid_at = PaymentStatus.PAID, timezone.now()
    payment.stripe_payment_intent = session.get("payment_intent") or payment.stripe_payment_intent
    payment.save()
    try:
        confirm(payment.registration)
    except RegistrationError as error:
        request_refund(payment, amount=payment.amount, reason=_("aucune place libre à la réception du paiement"))
        payment.note = error.message[:300]
        payment.save(update_fields=["note", "updated_at"])
        email_on_commit(payment, "refunded_no_seat")
        return payment
    issue_invoice(payment)
    return payment


@transaction.atomic
def fail_checkout_session(session, *, status=PaymentStatus.FAILED):
    """The session expired or its asynchronous payment failed: give the held seat back."""
    payment = _locked_payment(stripe_session_id=session.get("id") or "-")
    if payment is None or payment.status != PaymentStatus.PENDING:
        return payment  # already paid (events out of order) or already closed
    payment.status = status
    payment.save(update_fields=["status", "updated_at"])
    if payment.registration.status == RegistrationStatus.PENDING_PAYMENT:
        reason = _("paiement expiré") if status == PaymentStatus.EXPIRED else _("paiement refusé")
        cancel(payment.registration, reason=reason, notify=status == PaymentStatus.FAILED)
    return payment


@transaction.atomic
def record_charge_refunded(charge):
    """Stripe says a charge was refunded (by us or from its dashboard): record the amount."""
    intent = charge.get("payment_intent")
    if not intent:
        return None
    payment = _locked_payment(stripe_payment_intent=intent)
    if payment is None:
        return None
    refunded = (Decimal(_cents(charge, "amount_refunded") or 0) / 100).quantize(CENT)
    if refunded <= payment.refunded_amount:
        return payment
    payment.refunded_amount = min(refunded, payment.amount)
    payment.refunded_at = timezone.now()
    payment.status = (
        PaymentStatus.REFUNDED if payment.refunded_amount >= payment.amount else PaymentStatus.PARTIALLY_REFUNDED
    )
    payment.save(update_fields=["refunded_amount", "refunded_at", "status", "updated_at"])
    Refund.objects.filter(payment=payment, status=RefundStatus.REQUESTED).exclude(stripe_refund_id="").update(
        status=RefundStatus.SUCCEEDED
    )
    return payment


def _cents(obj, key):
    """An amount in cents from a Stripe object: an integer, or None when absent. Anything else
    (text, a decimal) is a malformed event, refused (400) rather than a 500."""
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise PaymentError(_("Montant Stripe invalide."), "malformed_event")
    return value


EVENT_HANDLERS = {
    "checkout.session.completed": fulfil_checkout_session,
    "checkout.session.async_payment_succeeded": fulfil_checkout_session,
    "checkout.session.async_payment_failed": fail_checkout_session,
    "checkout.session.expired": lambda session: fail_checkout_session(session, status=PaymentStatus.EXPIRED),
    "charge.refunded": record_charge_refunded,
}


def handle_event(event):
    """Record a verified Stripe event (a dict) once and apply it. Returns "duplicate",
    "ignored" or "handled". The record and its effects commit together: a concurrent copy of
    the same event waits on the unique event id, then finds it recorded."""
    event_id, event_type = event.get("id"), event.get("type")
    obj = (event.get("data") or {}).get("object")
    if not isinstance(event_id, str) or not isinstance(event_type, str) or not isinstance(obj, dict):
        raise PaymentError(_("Événement Stripe incomplet."), "malformed_event")
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = StripeEvent.objects.create(event_id=event_id[:255], type=event_type[:100], payload=event)
        except IntegrityError:
            return "duplicate"
        handler = EVENT_HANDLERS.get(event_type)
        if handler is None:
            record.note = "ignoré"
            record.save(update_fields=["note"])
            return "ignored"
        handler(obj)
        record.handled = True
        record.save(update_fields=["handled"])
    return "handled"


def fulfil_session_id(session_id):
    """The success page and the reconciliation: ask Stripe for the session, then fulfil it."""
    session = stripe_gateway.retrieve_checkout_session(session_id)
    if session.get("status") == "expired":
        return fail_checkout_session(session, status=PaymentStatus.EXPIRED)
    return fulfil_checkout_session(session)


def reconcile(*, start, end):
    """Bring pending card payments created in [start, end) in step with Stripe. Returns counts."""
    counts = {"checked": 0, "paid": 0, "expired": 0, "pending": 0, "errors": 0}
    for payment in Payment.objects.pending_card().filter(created_at__gte=start, created_at__lt=end).order_by("pk"):
        counts["checked"] += 1
        try:
            result = fulfil_session_id(payment.stripe_session_id)
        except stripe_gateway.GatewayError:
            counts["errors"] += 1
            continue
        status = result.status if result else PaymentStatus.PENDING
        key = {PaymentStatus.PAID: "paid", PaymentStatus.EXPIRED: "expired"}.get(status, "pending")
        counts[key] += 1
    return counts
