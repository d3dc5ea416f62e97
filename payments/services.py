"""Paying for a training run: card (Stripe Checkout) or invoice, fulfilment, refunds, credit notes.

Lock order, everywhere: the occurrence row (the engine's ``lock_occurrence``), then the payment
row. Fulfilment is idempotent: the webhook, the success page and the reconciliation command may
all deliver the same session, any number of times, concurrently; only the first changes anything.
"""

import datetime
import logging
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from registrations.errors import RegistrationError
from registrations.models import RegistrationStatus
from registrations.services import cancel, confirm, lock_occurrence, register

from . import conf, stripe_gateway
from .errors import PaymentError
from .models import (
    CreditNote,
    DocumentSequence,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundStatus,
    StripeEvent,
)
from .pricing import payment_due, training_of

logger = logging.getLogger(__name__)
CENT = Decimal("0.01")
SETTLED = {PaymentStatus.PAID, PaymentStatus.REFUNDED, PaymentStatus.PARTIALLY_REFUNDED}


# ---------------------------------------------------------------------------- starting a payment


def _paid_price(occurrence, user):
    training = training_of(occurrence)
    if training is None:
        raise PaymentError(_("Cette date n'est pas une session de formation."), "not_a_training")
    price = payment_due(occurrence, user, training=training)
    if price is None:
        raise PaymentError(_("Cette formation est gratuite pour vous : inscrivez-vous directement."), "free")
    return price


def _new_payment(registration, price, *, method, **fields):
    return Payment.objects.create(
        registration=registration,
        method=method,
        price_category=price.category,
        description=price.description,
        amount_ht=price.amount_ht,
        vat_rate=price.vat_rate,
        vat_amount=price.vat_amount,
        amount=price.amount_ttc,
        **fields,
    )


def start_card_payment(occurrence, *, user, build_urls):
    """Register ``user`` with a seat held during payment and open a Stripe Checkout Session.

    ``build_urls(payment)`` returns (success_url, cancel_url). Returns (registration, payment,
    checkout_url); checkout_url is None when the person is on the waiting list (they pay once a
    seat frees up). Raises PaymentError or the engine's RegistrationError."""
    if not conf.card_payment_enabled():
        raise PaymentError(_("Le paiement par carte n'est pas disponible pour le moment."), "card_unavailable")
    price = _paid_price(occurrence, user)
    hold_until = timezone.now() + conf.seat_hold()
    with transaction.atomic():
        registration = register(occurrence, user=user, hold_seat_until=hold_until)
        payment = _new_payment(registration, price, method=PaymentMethod.CARD)
    if registration.status != RegistrationStatus.PENDING_PAYMENT:
        return registration, payment, None
    # Stripe is called outside the engine's lock; if it fails, the held seat is given back.
    success_url, cancel_url = build_urls(payment)
    try:
        session = stripe_gateway.create_checkout_session(
            payment, success_url=success_url, cancel_url=cancel_url, expires_at=hold_until
        )
    except stripe_gateway.GatewayError as error:
        cancel(registration, reason=_("paiement impossible à ouvrir"), notify=False)
        raise PaymentError(error.message, "gateway") from error
    Payment.objects.filter(pk=payment.pk).update(stripe_session_id=session["id"])
    payment.stripe_session_id = session["id"]
    return registration, payment, session["url"]


def resume_card_payment(payment, *, build_urls):
    """Open a Checkout Session for a payment still due (a seat freed up for someone who was on the
    waiting list). Returns the checkout URL."""
    if not conf.card_payment_enabled():
        raise PaymentError(_("Le paiement par carte n'est pas disponible pour le moment."), "card_unavailable")
    if payment.status != PaymentStatus.PENDING or payment.method != PaymentMethod.CARD:
        raise PaymentError(_("Ce paiement n'est plus dû."), "not_due")
    success_url, cancel_url = build_urls(payment)
    expires_at = timezone.now() + conf.seat_hold()
    try:
        session = stripe_gateway.create_checkout_session(
            payment, success_url=success_url, cancel_url=cancel_url, expires_at=expires_at
        )
    except stripe_gateway.GatewayError as error:
        raise PaymentError(error.message, "gateway") from error
    Payment.objects.filter(pk=payment.pk).update(stripe_session_id=session["id"])
    return session["url"]


def register_with_invoice(occurrence, *, user, billing):
    """Register ``user`` and bill their organisation: confirmed (with an invoice issued) or on the
    waiting list (the invoice follows when a seat frees up). ``billing``: billing_entity,
    billing_siret, billing_address, purchase_order, chorus_service_code (already validated)."""
    price = _paid_price(occurrence, user)
    with transaction.atomic():
        registration = register(occurrence, user=user)
        payment = _new_payment(registration, price, method=PaymentMethod.INVOICE, **billing)
        invoice = issue_invoice(payment) if registration.status == RegistrationStatus.CONFIRMED else None
    return registration, payment, invoice


# ---------------------------------------------------------------------------- numbering and documents


def next_number(kind, *, year):
    """The next number of ``kind`` ("FA" invoices, "AV" credit notes) for ``year``, without gaps.

    Call inside the transaction that saves the document: the counter row stays locked until it
    commits (so concurrent issues wait), and a rollback gives the number back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that saves the document")
    DocumentSequence.objects.bulk_create([DocumentSequence(kind=kind, year=year)], ignore_conflicts=True)
    DocumentSequence.objects.filter(kind=kind, year=year).update(last_number=F("last_number") + 1)
    number = DocumentSequence.objects.get(kind=kind, year=year).last_number
    return f"{kind}-{year}-{number:05d}"


def _buyer_fields(payment):
    registration = payment.registration
    return {
        "buyer_name": payment.billing_entity or registration.organisation_name or registration.full_name,
        "buyer_siret": payment.billing_siret,
        "buyer_address": payment.billing_address,
        "purchase_order": payment.purchase_order,
        "chorus_service_code": payment.chorus_service_code,
    }


@transaction.atomic
def issue_invoice(payment, *, today=None, notify=True):
    """Issue the invoice of ``payment`` (once: a second call returns the same invoice)."""
    existing = Invoice.objects.filter(payment=payment).first()
    if existing is not None:
        return existing
    today = today or timezone.localdate()
    invoice = Invoice.objects.create(
        payment=payment,
        number=next_number("FA", year=today.year),
        issued_on=today,
        due_on=today + datetime.timedelta(days=conf.payment_terms_days()),
        status=InvoiceStatus.PAID if payment.status == PaymentStatus.PAID else InvoiceStatus.ISSUED,
        paid_on=today if payment.status == PaymentStatus.PAID else None,
        description=payment.description,
        amount_ht=payment.amount_ht,
        vat_rate=payment.vat_rate,
        vat_amount=payment.vat_amount,
        amount_ttc=payment.amount,
        **_buyer_fields(payment),
    )
    if notify and payment.method == PaymentMethod.INVOICE:
        _email_on_commit(payment, "invoice_issued")
    return invoice


def _split_ttc(amount_ttc, vat_rate):
    amount_ht = (amount_ttc * 100 / (100 + vat_rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    return amount_ht, amount_ttc - amount_ht


@transaction.atomic
def issue_credit_note(invoice, *, reason, amount_ttc=None, today=None):
    """Cancel ``invoice`` in full (default) or in part with a credit note (avoir)."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    credited = sum((note.amount_ttc for note in invoice.credit_notes.all()), Decimal("0"))
    remaining = invoice.amount_ttc - credited
    amount_ttc = remaining if amount_ttc is None else Decimal(amount_ttc)
    if amount_ttc <= 0 or amount_ttc > remaining:
        raise PaymentError(
            _("Le montant de l'avoir doit être positif et ne pas dépasser le reste dû."), "invalid_amount"
        )
    today = today or timezone.localdate()
    if amount_ttc == invoice.amount_ttc:
        amount_ht, vat = invoice.amount_ht, invoice.vat_amount
    else:
        amount_ht, vat = _split_ttc(amount_ttc, invoice.vat_rate)
    note = CreditNote.objects.create(
        invoice=invoice,
        number=next_number("AV", year=today.year),
        issued_on=today,
        reason=reason[:300],
        description=invoice.description,
        amount_ht=amount_ht,
        vat_rate=invoice.vat_rate,
        vat_amount=vat,
        amount_ttc=amount_ttc,
        **{
            field: getattr(invoice, field)
            for field in ("buyer_name", "buyer_siret", "buyer_address", "purchase_order", "chorus_service_code")
        },
    )
    if amount_ttc == remaining:
        invoice.status = InvoiceStatus.CANCELLED
        invoice.save(update_fields=["status"])
    _email_on_commit(invoice.payment, "credit_note")
    return note


@transaction.atomic
def mark_invoice_paid(invoice, *, actor=None, paid_on=None):
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status == InvoiceStatus.CANCELLED:
        raise PaymentError(_("Une facture annulée par avoir ne peut pas être marquée payée."), "cancelled")
    if invoice.status == InvoiceStatus.PAID:
        return invoice
    invoice.status, invoice.paid_on, invoice.marked_paid_by = InvoiceStatus.PAID, paid_on or timezone.localdate(), actor
    invoice.save(update_fields=["status", "paid_on", "marked_paid_by"])
    Payment.objects.filter(pk=invoice.payment_id).update(status=PaymentStatus.PAID, paid_at=timezone.now())
    return invoice


# ---------------------------------------------------------------------------- Stripe fulfilment


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
        _email_on_commit(payment, "refunded_no_seat")
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


# ---------------------------------------------------------------------------- refunds and cancellation


def request_refund(payment, *, amount, reason, actor=None):
    """Record a refund of ``amount`` (euros TTC) and send it to Stripe once the transaction commits."""
    amount = Decimal(amount).quantize(CENT)
    pending = sum((r.amount for r in payment.refunds.filter(status=RefundStatus.REQUESTED)), Decimal("0"))
    if payment.method != PaymentMethod.CARD or payment.status not in SETTLED:
        raise PaymentError(_("Seul un paiement par carte encaissé peut être remboursé."), "not_refundable")
    if amount <= 0 or amount > payment.amount - payment.refunded_amount - pending:
        raise PaymentError(_("Le montant à rembourser dépasse ce qui reste remboursable."), "invalid_amount")
    refund = Refund.objects.create(payment=payment, amount=amount, reason=str(reason)[:300], requested_by=actor)
    transaction.on_commit(lambda: _enqueue_refund(refund.pk))
    return refund


def _enqueue_session_expiry(session_id):
    from .tasks import expire_session

    expire_session.enqueue(session_id)


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
        transaction.on_commit(lambda: _enqueue_refund(refund.pk))
    return refund


def _enqueue_refund(refund_id):
    from .tasks import send_refund

    send_refund.enqueue(refund_id)


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
            _email_on_commit(payment, "refunded")
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
            payment.status = PaymentStatus.EXPIRED
            payment.save(update_fields=["status", "updated_at"])
            if payment.stripe_session_id:  # so nobody pays for a seat given up
                transaction.on_commit(partial(_enqueue_session_expiry, payment.stripe_session_id))
        elif payment.status == PaymentStatus.PAID and share > 0:
            request_refund(payment, amount=_share_of(payment.amount, share), reason=reason, actor=actor)
            if invoice is not None:
                issue_credit_note(invoice, reason=reason, amount_ttc=_share_of(invoice.amount_ttc, share))


def _share_of(amount, share):
    return (amount * share).quantize(CENT, rounding=ROUND_HALF_UP)


def on_registration_confirmed(sender, registration, previous_status=None, actor=None, **kwargs):
    """Someone on the waiting list got a seat: issue the invoice they asked for, or ask them to pay."""
    for payment in Payment.objects.filter(registration=registration, status=PaymentStatus.PENDING):
        if payment.method == PaymentMethod.INVOICE:
            issue_invoice(payment)
        elif not payment.stripe_session_id:
            _email_on_commit(payment, "pay_now")


def _email_on_commit(payment, kind):
    from .tasks import send_payment_email

    pk = payment.pk
    transaction.on_commit(lambda: send_payment_email.enqueue(pk, kind))
