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

from members.account import account_changed
from registrations.errors import RegistrationError
from registrations.models import Registration, RegistrationStatus
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
    seat is left, or the person had released the seat, the payment is refunded in full and the
    person told. Less than the amount due: nothing is marked paid, the seat stays held and the
    payment waits for an editor. Returns the payment (None for a session the site does not know)."""
    if not session.get("id"):
        return None
    payment = _locked_payment(stripe_session_id=session["id"])
    if payment is None:
        return None
    if session.get("payment_status") not in ("paid", "no_payment_required"):
        return payment  # an asynchronous method still running: wait for its event
    if payment.status in SETTLED or payment.status == PaymentStatus.REVIEW:
        return payment
    received = _cents(session, "amount_total")
    if received is not None and received < payment.amount_cents:
        return _hold_for_review(payment, session, received)
    if received is not None and received > payment.amount_cents:
        logger.warning("Stripe session %s: amount %s above %s", session["id"], received, payment.amount_cents)
        payment.note = _("Montant reçu supérieur au montant dû : à vérifier.")
    released = payment.status == PaymentStatus.CANCELLED  # the person gave the seat up
    payment.status, payment.paid_at = PaymentStatus.PAID, timezone.now()
    payment.stripe_payment_intent = session.get("payment_intent") or payment.stripe_payment_intent
    payment.billing_address = _billing_address(session) or payment.billing_address
    payment.save()
    if released:
        return _refund_in_full(payment, _("place libérée avant la réception du paiement"), "refunded_released")
    try:
        confirm(payment.registration)
    except RegistrationError as error:
        return _refund_in_full(payment, error.message, "refunded_no_seat")
    issue_invoice(payment)
    return payment


def _refund_in_full(payment, note, email_kind):
    request_refund(payment, amount=payment.amount, reason=note)
    payment.note = str(note)[:300]
    payment.save(update_fields=["note", "updated_at"])
    email_on_commit(payment, email_kind)
    return payment


def _hold_for_review(payment, session, received):
    """Stripe took less than is due: never confirm nor mark paid; keep the seat and tell editors."""
    logger.warning("Stripe session %s: amount %s below %s", session["id"], received, payment.amount_cents)
    payment.status = PaymentStatus.REVIEW
    payment.stripe_payment_intent = session.get("payment_intent") or payment.stripe_payment_intent
    payment.note = _("Montant reçu (%(received)s €) inférieur au montant dû (%(due)s €) : à vérifier.") % {
        "received": f"{Decimal(received) / 100:.2f}".replace(".", ","),
        "due": f"{payment.amount:.2f}".replace(".", ","),
    }
    payment.save()
    # The seat stays held (no expiry) until an editor settles it: refund, or confirm by hand.
    Registration.objects.filter(pk=payment.registration_id, status=RegistrationStatus.PENDING_PAYMENT).update(
        hold_expires_at=None
    )
    return payment


def _billing_address(session):
    """The billing address Stripe Checkout collected, as the lines of a French address."""
    details = session.get("customer_details")
    address = details.get("address") if isinstance(details, dict) else None
    if not isinstance(address, dict):
        return ""
    city = " ".join(str(address.get(key) or "") for key in ("postal_code", "city")).strip()
    country = str(address.get("country") or "")
    lines = [address.get("line1"), address.get("line2"), city, "" if country in ("", "FR") else country]
    return "\n".join(str(line).strip() for line in lines if line and str(line).strip())[:500]


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
    account_changed(Payment.objects.filter(pk=payment.pk).values("registration__user_id"))
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
