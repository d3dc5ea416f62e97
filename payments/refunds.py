"""Refunds (card) and what a cancelled or confirmed registration means for its payments."""

import datetime
import logging
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import stripe_gateway
from .errors import PaymentError
from .invoicing import issue_credit_note, issue_invoice
from .models import (
    CENT,
    SETTLED,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from .pricing import training_of
from .tasks import email_on_commit, expire_session, send_refund

logger = logging.getLogger(__name__)


def request_refund(payment, *, amount, reason, actor=None):
    """Record a refund of ``amount`` (euros TTC) and send it to Stripe once the transaction commits."""
    amount = Decimal(amount).quantize(CENT)
    pending = sum((r.amount for r in payment.refunds.filter(status=RefundStatus.REQUESTED)), Decimal("0"))
    if payment.method != PaymentMethod.CARD or payment.status not in SETTLED:
        raise PaymentError(_("Seul un paiement par carte encaissé peut être remboursé."), "not_refundable")
    if amount <= 0 or amount > payment.amount - payment.refunded_amount - pending:
        raise PaymentError(_("Le montant à rembourser dépasse ce qui reste remboursable."), "invalid_amount")
    refund = Refund.objects.create(payment=payment, amount=amount, reason=str(reason)[:300], requested_by=actor)
    transaction.on_commit(partial(send_refund.enqueue, refund.pk))
    return refund


def expire_session_quietly(session_id):
    """Close a Checkout Session at Stripe (best effort: it expires by itself with the hold)."""
    try:
        stripe_gateway.expire_checkout_session(session_id)
    except stripe_gateway.GatewayError as error:
        logger.info("Stripe session %s not expired: %s", session_id, error.message)


def retry_refund(refund):
    """Send a failed refund again (an editor's action)."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.status != RefundStatus.FAILED:
            raise PaymentError(_("Seul un remboursement en échec peut être relancé."), "not_failed")
        refund.status, refund.note = RefundStatus.REQUESTED, ""
        refund.save(update_fields=["status", "note"])
        transaction.on_commit(partial(send_refund.enqueue, refund.pk))
    return refund


def send_refund_to_stripe(refund_id):
    """Ask Stripe to refund (the background task). Safe to run twice: a sent refund is skipped,
    and Stripe's idempotency key is the refund's own id."""
    with transaction.atomic():
        refund = Refund.objects.select_for_update().select_related("payment").filter(pk=refund_id).first()
        if refund is None or refund.status != RefundStatus.REQUESTED or refund.stripe_refund_id:
            return refund
        refund.attempts += 1
        refund.save(update_fields=["attempts"])
        try:
            answer = stripe_gateway.refund(
                refund.payment,
                amount_cents=int(refund.amount * 100),
                key=f"reseco-refund-{refund.pk}-{refund.attempts}",
            )
        except stripe_gateway.GatewayError as error:
            refund.status, refund.note = RefundStatus.FAILED, error.message[:300]
            refund.save(update_fields=["status", "note"])
            return refund
        refund.stripe_refund_id = answer.get("id", "")
        refund.status = (
            RefundStatus.SUCCEEDED if answer.get("status") in ("succeeded", "pending") else RefundStatus.FAILED
        )
        refund.save(update_fields=["stripe_refund_id", "status"])
        if refund.status == RefundStatus.SUCCEEDED:
            payment = Payment.objects.select_for_update().get(pk=refund.payment_id)
            sent = sum((r.amount for r in payment.refunds.filter(status=RefundStatus.SUCCEEDED)), Decimal("0"))
            payment.refunded_amount = min(max(payment.refunded_amount, sent), payment.amount)
            payment.refunded_at = timezone.now()
            payment.status = (
                PaymentStatus.REFUNDED
                if payment.refunded_amount >= payment.amount
                else PaymentStatus.PARTIALLY_REFUNDED
            )
            payment.save(update_fields=["refunded_amount", "refunded_at", "status", "updated_at"])
            email_on_commit(payment, "refunded")
    return refund


def refundable_share(registration, *, now=None):
    """The share of the price given back when ``registration`` is cancelled now (0 to 1):
    everything before the training's deadline or when the run itself was cancelled; after the
    deadline, what the training's late-cancellation rule leaves."""
    occurrence = registration.occurrence
    training = training_of(occurrence)
    if occurrence.is_cancelled or training is None:
        return Decimal("1")
    now = now or timezone.now()
    deadline = occurrence.start - datetime.timedelta(days=training.cancellation_deadline_days)
    if now <= deadline:
        return Decimal("1")
    return (Decimal(100) - training.late_cancellation_charge) / 100


def on_registration_cancelled(sender, registration, previous_status=None, actor=None, **kwargs):
    """A registration was cancelled: close what is pending, refund or credit what is due."""
    share = refundable_share(registration)
    reason = _("annulation de l'inscription")
    for payment in Payment.objects.select_for_update().filter(registration=registration).order_by("pk"):
        invoice = Invoice.objects.filter(payment=payment).exclude(status=InvoiceStatus.CANCELLED).first()
        if payment.method == PaymentMethod.INVOICE:
            if invoice is not None and share > 0:
                issue_credit_note(invoice, reason=reason, amount_ttc=_share_of(invoice.amount_ttc, share))
            if payment.status == PaymentStatus.PENDING and (invoice is None or share == 1):
                payment.status = PaymentStatus.CANCELLED
                payment.save(update_fields=["status", "updated_at"])
            elif payment.status == PaymentStatus.PAID and share > 0:
                payment.note = _("Paiement reçu sur facture : rembourser par virement le montant de l'avoir.")
                payment.save(update_fields=["note", "updated_at"])
            continue
        if payment.status == PaymentStatus.PENDING:
            # Released by someone (the person, an editor): a payment arriving late is refunded.
            # Released by the hold's expiry: a late payment still confirms if a seat is free.
            payment.status = PaymentStatus.EXPIRED if actor is None else PaymentStatus.CANCELLED
            payment.save(update_fields=["status", "updated_at"])
            if payment.stripe_session_id:  # so nobody pays for a seat given up
                transaction.on_commit(partial(expire_session.enqueue, payment.stripe_session_id))
        elif payment.status == PaymentStatus.PAID and share > 0:
            request_refund(payment, amount=_share_of(payment.amount, share), reason=reason, actor=actor)
            if invoice is not None:
                issue_credit_note(invoice, reason=reason, amount_ttc=_share_of(invoice.amount_ttc, share))


def _share_of(amount, share):
    return (amount * share).quantize(CENT, rounding=ROUND_HALF_UP)


def on_registration_confirmed(sender, registration, previous_status=None, actor=None, **kwargs):
    """Someone on the waiting list got a seat: issue the invoice they asked for, or ask them to pay."""
    if not previous_status:
        # A registration confirmed as it is created has no payment yet: no query while its
        # occurrence is locked.
        return
    for payment in Payment.objects.filter(registration=registration, status=PaymentStatus.PENDING):
        if payment.method == PaymentMethod.INVOICE:
            issue_invoice(payment)
        elif not payment.stripe_session_id:
            email_on_commit(payment, "pay_now")
