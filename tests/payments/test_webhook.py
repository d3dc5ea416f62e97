"""Webhook security: signature, tolerance, replay, malformed input, unknown types."""

import json
import time

from django.urls import reverse

import pytest

from payments.models import Payment, PaymentStatus, StripeEvent
from registrations.models import RegistrationStatus

from .conftest import send_event
from .stripe_fake import event, signature_header

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(start_card, stripe_fake):
    _response, payment = start_card()
    return payment, event("checkout.session.completed", stripe_fake.complete(payment.stripe_session_id))


def _unchanged(payment):
    payment.refresh_from_db()
    return (
        payment.status == PaymentStatus.PENDING
        and payment.registration.status == RegistrationStatus.PENDING_PAYMENT
        and not StripeEvent.objects.exists()
    )


def test_bad_signature_is_400_and_changes_nothing(client, completed):
    payment, evt = completed
    response = send_event(client, evt, secret="whsec_someone_else")
    assert response.status_code == 400
    assert response.json()["error"] == "Signature Stripe invalide ou expirée."
    assert _unchanged(payment)


def test_missing_signature_is_400(client, completed):
    payment, evt = completed
    response = send_event(client, evt, header=False)
    assert response.status_code == 400
    assert response.json()["error"] == "Signature Stripe manquante."
    assert _unchanged(payment)


@pytest.mark.parametrize("header", ["garbage", "t=abc,v1=def", "v1=00"])
def test_malformed_signature_header_is_400(client, completed, header):
    payment, evt = completed
    assert send_event(client, evt, header=header).status_code == 400
    assert _unchanged(payment)


def test_stale_timestamp_is_400(client, completed):
    payment, evt = completed
    response = send_event(client, evt, timestamp=time.time() - 301)
    assert response.status_code == 400
    assert _unchanged(payment)


def test_payload_changed_after_signing_is_400(client, completed):
    payment, evt = completed
    payload = json.dumps(evt)
    header = signature_header(payload)
    tampered = payload.replace('"amount_total": 36000', '"amount_total": 1')
    response = client.post(
        reverse("payments:stripe_webhook"), tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )
    assert response.status_code == 400
    assert _unchanged(payment)


@pytest.mark.parametrize(
    "payload", ["{not json", "[]", '"text"', '{"id": "evt_1"}', '{"id": "evt_1", "type": "x", "data": {"object": 3}}']
)
def test_signed_but_malformed_json_is_400(client, stripe_fake, payload):
    response = send_event(client, payload)
    assert response.status_code == 400
    assert response.json()["error"] in ("Contenu JSON invalide.", "Événement Stripe incomplet.")
    assert not StripeEvent.objects.exists()


def test_get_is_not_allowed(client, stripe_fake):
    assert client.get(reverse("payments:stripe_webhook")).status_code == 405


def test_unknown_event_type_is_acknowledged_and_ignored(client, stripe_fake):
    response = send_event(client, event("customer.created", {"id": "cus_1"}))
    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored"
    assert StripeEvent.objects.get().handled is False


def test_replayed_event_is_recorded_once_and_applied_once(client, completed, post_event):
    payment, evt = completed
    outcomes = [post_event(client, evt).json()["outcome"] for _ in range(3)]
    assert outcomes == ["handled", "duplicate", "duplicate"]
    assert StripeEvent.objects.filter(event_id=evt["id"]).count() == 1
    payment.refresh_from_db()
    assert payment.registration.changes.filter(to_status=RegistrationStatus.CONFIRMED).count() == 1


def test_same_session_in_two_different_events_is_fulfilled_once(client, completed, post_event):
    from django.core import mail

    payment, evt = completed
    mail.outbox.clear()
    post_event(client, evt)
    post_event(client, {**evt, "id": "evt_other"})
    assert StripeEvent.objects.count() == 2
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID
    assert len(mail.outbox) == 1


def test_event_for_an_unknown_session_is_acknowledged(client, stripe_fake):
    response = send_event(client, event("checkout.session.completed", {"id": "cs_elsewhere", "payment_status": "paid"}))
    assert response.status_code == 200
    assert not Payment.objects.exists()


def test_amount_above_due_is_flagged(client, completed, post_event):
    """(Less than due: see test_card_attempts, never marked paid.)"""
    payment, evt = completed
    evt["data"]["object"]["amount_total"] = payment.amount_cents + 100
    post_event(client, evt)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert "supérieur" in payment.note


@pytest.mark.parametrize("where", ["id", "object"])
def test_signed_event_holding_a_nul_is_400(client, completed, where):
    payment, evt = completed
    if where == "id":
        evt["id"] = "evt_\u0000"
    else:
        evt["data"]["object"]["client_reference_id"] = "a\u0000b"
    response = send_event(client, evt)
    assert response.status_code == 400
    assert _unchanged(payment)


@pytest.mark.parametrize("amount", ["beaucoup", "12.5", 12.5, True])
def test_signed_refund_with_a_malformed_amount_is_400(client, completed, post_event, amount):
    payment, evt = completed
    post_event(client, evt)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.stripe_payment_intent
    charge = {"id": "ch_1", "payment_intent": payment.stripe_payment_intent, "amount_refunded": amount}
    response = send_event(client, event("charge.refunded", charge))
    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.refunded_amount == 0
