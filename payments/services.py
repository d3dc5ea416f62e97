"""Starting a payment for a training run: card (Stripe Checkout) or invoice.

Fulfilment lives in ``webhooks``, invoices and credit notes in ``invoicing``, refunds and the
engine's signal receivers in ``refunds``.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registrations.models import RegistrationStatus
from registrations.services import cancel, register

from . import conf, stripe_gateway, webhooks
from .errors import PaymentError
from .invoicing import issue_invoice
from .models import Payment, PaymentMethod, PaymentStatus
from .pricing import payment_due, training_of
from .refunds import expire_session_quietly


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
        _close_earlier_attempt(payment)
        session = stripe_gateway.create_checkout_session(
            payment, success_url=success_url, cancel_url=cancel_url, expires_at=expires_at
        )
    except stripe_gateway.GatewayError as error:
        raise PaymentError(error.message, "gateway") from error
    Payment.objects.filter(pk=payment.pk).update(stripe_session_id=session["id"])
    payment.stripe_session_id = session["id"]
    return session["url"]


def _close_earlier_attempt(payment):
    """Settle the earlier attempt if it was paid meanwhile (its webhook may still be on its way),
    else close it: one Checkout page open per payment, never two that could both be paid."""
    if not payment.stripe_session_id:
        return
    session = stripe_gateway.retrieve_checkout_session(payment.stripe_session_id)
    if session.get("status") == "complete":  # paid, or a bank transfer on its way: nothing more to pay
        webhooks.fulfil_checkout_session(session)
        raise PaymentError(_("Ce paiement est déjà réglé ou en cours de règlement."), "not_due")
    if session.get("status") == "open":
        expire_session_quietly(payment.stripe_session_id)


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
