import datetime
from decimal import Decimal

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from payments.models import Invoice, Payment, PaymentStatus, StripeEvent
from registrations.models import Registration, RegistrationStatus

from .stripe_fake import event

pytestmark = pytest.mark.django_db


def test_start_page_shows_price_from_database_and_live_seats(member_client, stripe_fake, run):
    response = member_client.get(reverse("payments:start", kwargs={"occurrence_id": run.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "300,00 €" in html or "300.00 €" in html
    assert "360" in html
    assert "Payer 360" in html
    assert "Places restantes" in html and ">20<" in html


def test_card_payment_holds_a_seat_and_creates_a_session_with_the_database_amount(start_card, stripe_fake, member):
    # A tampered amount and price in the form are ignored.
    response, payment = start_card(amount="1", price="0.01", amount_ttc="1")
    session_id = payment.stripe_session_id
    assert response.status_code == 302
    assert response["Location"] == f"https://checkout.stripe.com/c/pay/{session_id}"
    assert payment.amount == Decimal("360.00") and payment.amount_ht == Decimal("300.00")
    assert stripe_fake.sessions[session_id]["amount_total"] == 36000
    registration = payment.registration
    assert registration.status == RegistrationStatus.PENDING_PAYMENT
    assert registration.user == member
    hold = registration.hold_expires_at - timezone.now()
    assert hold >= datetime.timedelta(minutes=30)
    # Stripe's session expires with the hold (Stripe refuses less than 30 minutes).
    assert stripe_fake.sessions[session_id]["expires_at"] == int(registration.hold_expires_at.timestamp())
    assert stripe_fake.posted("/v1/checkout/sessions")[0]["metadata[payment_id]"] == str(payment.pk)


def test_member_pays_member_price_and_non_member_the_other(client, stripe_fake, run):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    client.post(reverse("payments:pay_by_card", kwargs={"occurrence_id": run.pk}))
    payment = Payment.objects.get()
    assert payment.price_category == "non_member"
    assert payment.amount == Decimal("720.00")


def test_stripe_failure_gives_the_seat_back(start_card, stripe_fake):
    stripe_fake.fail = True
    response, payment = start_card()
    assert response.status_code == 503
    assert "Réessayez" in response.content.decode()
    assert payment.registration.status == RegistrationStatus.CANCELLED


def test_full_run_puts_card_payer_on_waiting_list_without_session(start_card, stripe_fake, run):
    run.capacity = 0
    run.save()
    response, payment = start_card()
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:payment", kwargs={"payment_id": payment.pk})
    assert payment.registration.status == RegistrationStatus.WAITLISTED
    assert payment.stripe_session_id == ""
    assert stripe_fake.calls == []


def test_second_registration_of_same_person_is_refused(start_card):
    start_card()
    response, _payment = start_card()
    assert response.status_code == 409
    assert "déjà inscrit" in response.content.decode()
    assert Registration.objects.count() == 1


@pytest.mark.parametrize("occurrence_id", [0, 999999])
def test_tampered_run_id_is_404(member_client, stripe_fake, occurrence_id):
    response = member_client.post(reverse("payments:pay_by_card", kwargs={"occurrence_id": occurrence_id}))
    assert response.status_code == 404


def test_a_non_training_occurrence_cannot_be_paid(member_client, stripe_fake):
    from tests.factories.registrations import OccurrenceFactory

    occurrence = OccurrenceFactory(kind="webinar")
    occurrence.page.save_revision().publish()
    response = member_client.post(reverse("payments:pay_by_card", kwargs={"occurrence_id": occurrence.pk}))
    assert response.status_code == 404


def test_past_run_is_closed(member_client, stripe_fake, run):
    run.start, run.end = timezone.now() - datetime.timedelta(days=3), timezone.now() - datetime.timedelta(days=2)
    run.save()
    response = member_client.post(reverse("payments:pay_by_card", kwargs={"occurrence_id": run.pk}))
    assert response.status_code == 410
    assert "passée" in response.content.decode()


def test_anonymous_visitor_of_a_members_only_run_is_sent_to_login(client, stripe_fake, run):
    run.audience = "members"
    run.save()
    response = client.get(reverse("payments:start", kwargs={"occurrence_id": run.pk}))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_anonymous_visitor_of_a_run_open_to_everyone_may_create_an_account_and_sees_the_price(client, stripe_fake, run):
    url = reverse("payments:start", kwargs={"occurrence_id": run.pk})
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/compte/creer/?next={url}" in html.replace("%2F", "/")
    assert f"/compte/connexion/?next={url}" in html.replace("%2F", "/")
    assert "tarif non-membre" in html and "tarif membre" in html


def test_webhook_completion_confirms_and_issues_a_paid_invoice(client, start_card, stripe_fake, post_event):
    _response, payment = start_card()
    mail.outbox.clear()
    session = stripe_fake.complete(payment.stripe_session_id)
    response = post_event(client, event("checkout.session.completed", session))
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.stripe_payment_intent == f"pi_{session['id']}"
    assert payment.registration.status == RegistrationStatus.CONFIRMED
    invoice = Invoice.objects.get(payment=payment)
    assert invoice.status == "paid" and invoice.amount_ttc == Decimal("360.00")
    assert len(mail.outbox) == 1
    assert "Paiement reçu : 360,00 € TTC" in mail.outbox[0].body
    assert invoice.number in mail.outbox[0].body
    html = next(content for content, mimetype in mail.outbox[0].alternatives if mimetype == "text/html")
    assert "Paiement reçu : 360,00 € TTC" in html
    assert f"Votre facture {invoice.number} est disponible" in html


def test_success_page_fulfils_the_same_way_as_the_webhook(member_client, start_card, stripe_fake, post_event):
    _response, payment = start_card()
    stripe_fake.complete(payment.stripe_session_id)
    response = member_client.get(reverse("payments:success"), {"session_id": payment.stripe_session_id})
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.registration.status == RegistrationStatus.CONFIRMED
    # The webhook arriving afterwards changes nothing.
    post_event(member_client, event("checkout.session.completed", stripe_fake.sessions[payment.stripe_session_id]))
    assert Invoice.objects.count() == 1
    assert payment.registration.changes.filter(to_status=RegistrationStatus.CONFIRMED).count() == 1
    detail = member_client.get(response["Location"]).content.decode()
    assert "confirmée" in detail and Invoice.objects.get().number in detail


def test_success_page_before_payment_completes_leaves_the_seat_held(member_client, start_card, stripe_fake):
    _response, payment = start_card()
    member_client.get(reverse("payments:success"), {"session_id": payment.stripe_session_id})
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert payment.registration.status == RegistrationStatus.PENDING_PAYMENT


@pytest.mark.parametrize("session_id, status", [("", 400), ("not-a-session", 400), ("cs_unknown", 404)])
def test_success_page_rejects_bad_session_ids(client, stripe_fake, session_id, status):
    response = client.get(reverse("payments:success"), {"session_id": session_id})
    assert response.status_code == status


def test_expired_session_releases_the_seat_to_the_waiting_list(client, start_card, stripe_fake, run, post_event):
    from registrations.services import register
    from tests.factories import MemberFactory

    run.capacity = 1
    run.save()
    _response, payment = start_card()
    waiting = register(run, user=MemberFactory())
    assert waiting.status == RegistrationStatus.WAITLISTED
    response = post_event(client, event("checkout.session.expired", stripe_fake.expire(payment.stripe_session_id)))
    assert response.status_code == 200
    payment.refresh_from_db()
    waiting.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED
    assert payment.registration.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_expired_after_completed_changes_nothing(client, start_card, stripe_fake, post_event):
    _response, payment = start_card()
    session = stripe_fake.complete(payment.stripe_session_id)
    post_event(client, event("checkout.session.completed", session))
    post_event(client, event("checkout.session.expired", {**session, "status": "expired"}))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.registration.status == RegistrationStatus.CONFIRMED


def test_async_payment_pending_then_succeeded(client, start_card, stripe_fake, post_event):
    _response, payment = start_card()
    session = stripe_fake.complete(payment.stripe_session_id, payment_status="unpaid")
    post_event(client, event("checkout.session.completed", session))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert payment.registration.status == RegistrationStatus.PENDING_PAYMENT
    post_event(client, event("checkout.session.async_payment_succeeded", {**session, "payment_status": "paid"}))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.registration.status == RegistrationStatus.CONFIRMED


def test_async_payment_failed_cancels_and_tells(client, start_card, stripe_fake, post_event):
    _response, payment = start_card()
    session = stripe_fake.complete(payment.stripe_session_id, payment_status="unpaid")
    mail.outbox.clear()
    post_event(client, event("checkout.session.async_payment_failed", session))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert payment.registration.status == RegistrationStatus.CANCELLED
    assert len(mail.outbox) == 1


def test_payment_after_hold_expired_confirms_when_a_seat_is_free(client, start_card, stripe_fake, post_event):
    from registrations.services import release_expired_holds

    _response, payment = start_card()
    release_expired_holds(now=timezone.now() + datetime.timedelta(hours=1))
    payment.refresh_from_db()
    assert payment.registration.status == RegistrationStatus.CANCELLED
    assert payment.status == PaymentStatus.EXPIRED
    post_event(client, event("checkout.session.completed", stripe_fake.complete(payment.stripe_session_id)))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.registration.status == RegistrationStatus.CONFIRMED
    assert stripe_fake.refunds == []


def test_payment_after_hold_expired_on_a_full_run_is_refunded_and_told(
    client, start_card, stripe_fake, run, post_event
):
    from registrations.services import register, release_expired_holds
    from tests.factories import MemberFactory

    run.capacity = 1
    run.save()
    _response, payment = start_card()
    release_expired_holds(now=timezone.now() + datetime.timedelta(hours=1))
    register(run, user=MemberFactory())  # takes the freed seat
    mail.outbox.clear()
    post_event(client, event("checkout.session.completed", stripe_fake.complete(payment.stripe_session_id)))
    payment.refresh_from_db()
    assert payment.registration.status == RegistrationStatus.CANCELLED
    assert payment.status == PaymentStatus.REFUNDED
    assert payment.refunded_amount == Decimal("360.00")
    assert [r["amount"] for r in stripe_fake.refunds] == [36000]
    assert Registration.objects.filter(occurrence=run, status=RegistrationStatus.CONFIRMED).count() == 1
    subjects = [m.subject for m in mail.outbox]
    assert "Plus de place disponible : vous êtes remboursé·e" in subjects


def test_charge_refunded_from_stripe_dashboard_is_recorded(client, start_card, stripe_fake, post_event):
    _response, payment = start_card()
    session = stripe_fake.complete(payment.stripe_session_id)
    charge = {"id": "ch_1", "object": "charge", "payment_intent": session["payment_intent"], "amount_refunded": 18000}
    # Received before the completion: nothing known yet, acknowledged.
    assert post_event(client, event("charge.refunded", charge)).status_code == 200
    post_event(client, event("checkout.session.completed", session))
    post_event(client, event("charge.refunded", charge))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    assert payment.refunded_amount == Decimal("180.00")


def test_card_hidden_without_keys_but_invoice_still_offered(member_client, no_stripe, run):
    html = member_client.get(reverse("payments:start", kwargs={"occurrence_id": run.pk})).content.decode()
    assert "Le paiement par carte n'est pas disponible" in html
    assert reverse("payments:pay_by_card", kwargs={"occurrence_id": run.pk}) not in html
    assert reverse("payments:pay_by_invoice", kwargs={"occurrence_id": run.pk}) in html
    response = member_client.post(reverse("payments:pay_by_card", kwargs={"occurrence_id": run.pk}))
    assert response.status_code == 503
    assert Registration.objects.count() == 0


def test_webhook_without_keys_is_refused(client, no_stripe, post_event):
    response = post_event(client, event("checkout.session.completed", {"id": "cs_x"}))
    assert response.status_code == 400
    assert StripeEvent.objects.count() == 0


def test_start_page_sends_someone_already_registered_to_their_registration(member_client, start_card, run):
    _response, payment = start_card()
    response = member_client.get(reverse("payments:start", kwargs={"occurrence_id": run.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:payment", kwargs={"payment_id": payment.pk})
