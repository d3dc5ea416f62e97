"""Card payments beyond the happy path: a second attempt, a payment arriving after the seat was
released, a payment short of the amount due, Stripe not answering (issue 14)."""

import datetime

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from payments.models import Invoice, Payment, PaymentStatus, Refund
from registrations.models import Registration, RegistrationStatus
from tests.factories import MemberFactory

from .stripe_fake import event

pytestmark = pytest.mark.django_db


@pytest.fixture
def promoted(member_client, start_card, run, committing):
    """A card payer promoted from the waiting list: confirmed, with a payment still due."""
    from registrations.services import cancel, register

    run.capacity = 1
    run.save()
    first = register(run, user=MemberFactory())
    _response, payment = start_card()
    committing(cancel, first)
    payment.refresh_from_db()
    assert payment.registration.status == RegistrationStatus.CONFIRMED
    return payment


def test_a_second_card_attempt_gets_its_own_idempotency_key(member_client, promoted, stripe_fake, committing):
    url = reverse("payments:resume", kwargs={"payment_id": promoted.pk})
    first = committing(member_client.get, url)
    assert first.status_code == 302
    first_session = Payment.objects.get(pk=promoted.pk).stripe_session_id
    # The person comes back from Stripe's page and clicks « Régler par carte » again, later.
    later = timezone.now() + datetime.timedelta(minutes=5)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.now", lambda: later)
        second = committing(member_client.get, url)
    assert second.status_code == 302, second.content.decode()
    payment = Payment.objects.get(pk=promoted.pk)
    assert payment.stripe_session_id != first_session
    assert second["Location"] == stripe_fake.sessions[payment.stripe_session_id]["url"]
    # The first page is closed: only one session can take the money.
    assert stripe_fake.sessions[first_session]["status"] == "expired"


def test_resuming_an_attempt_already_paid_settles_it_instead_of_opening_another(
    member_client, promoted, stripe_fake, committing
):
    url = reverse("payments:resume", kwargs={"payment_id": promoted.pk})
    committing(member_client.get, url)
    session_id = Payment.objects.get(pk=promoted.pk).stripe_session_id
    stripe_fake.complete(session_id)  # paid, its webhook not yet arrived
    response = committing(member_client.get, url)
    assert response.status_code == 409
    assert Payment.objects.get(pk=promoted.pk).status == PaymentStatus.PAID
    assert len(stripe_fake.sessions) == 1


def test_a_late_payment_for_a_seat_the_member_released_is_refunded_not_confirmed(
    member_client, start_card, stripe_fake, post_event, committing
):
    _response, payment = start_card()
    committing(member_client.post, reverse("payments:checkout_cancelled", kwargs={"payment_id": payment.pk}))
    assert Registration.objects.get().status == RegistrationStatus.CANCELLED
    mail.outbox.clear()
    # The person had paid in another tab before the session could be closed.
    stripe_fake.sessions[payment.stripe_session_id]["status"] = "open"
    post_event(Client(), event("checkout.session.completed", stripe_fake.complete(payment.stripe_session_id)))
    payment.refresh_from_db()
    assert payment.registration.status == RegistrationStatus.CANCELLED
    assert payment.status == PaymentStatus.REFUNDED
    assert [r["amount"] for r in stripe_fake.refunds] == [36000]
    assert not Invoice.objects.exists()
    assert "place libérée" in payment.note  # what editors read in the payments list
    assert "Paiement reçu après l'annulation : vous êtes remboursé·e" in [m.subject for m in mail.outbox]


def test_a_late_payment_after_the_hold_expired_still_confirms_when_a_seat_is_free(start_card, stripe_fake, post_event):
    from registrations.services import release_expired_holds

    _response, payment = start_card()
    release_expired_holds(now=timezone.now() + datetime.timedelta(hours=1))
    post_event(Client(), event("checkout.session.completed", stripe_fake.complete(payment.stripe_session_id)))
    payment.refresh_from_db()
    assert payment.registration.status == RegistrationStatus.CONFIRMED
    assert payment.status == PaymentStatus.PAID


def test_a_signed_completion_for_less_than_due_holds_the_seat_and_marks_nothing_paid(
    start_card, stripe_fake, post_event, committing
):
    from registrations.services import release_expired_holds

    _response, payment = start_card()
    session = stripe_fake.complete(payment.stripe_session_id, amount_total=100)
    assert post_event(Client(), event("checkout.session.completed", session)).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REVIEW
    assert "inférieur au montant dû" in payment.note and "1,00" in payment.note
    assert payment.registration.status == RegistrationStatus.PENDING_PAYMENT
    assert not Invoice.objects.exists()
    # The seat stays held past the hold's end, until an editor decides.
    committing(release_expired_holds, now=timezone.now() + datetime.timedelta(hours=2))
    assert Registration.objects.get().status == RegistrationStatus.PENDING_PAYMENT
    # The same event again, or the success page, changes nothing.
    post_event(Client(), event("checkout.session.completed", session))
    assert Payment.objects.get().status == PaymentStatus.REVIEW


def test_the_paid_invoice_of_a_card_payment_has_the_billing_address_stripe_collected(
    start_card, stripe_fake, post_event
):
    _response, payment = start_card()
    assert stripe_fake.posted("/v1/checkout/sessions")[0]["billing_address_collection"] == "required"
    post_event(Client(), event("checkout.session.completed", stripe_fake.complete(payment.stripe_session_id)))
    invoice = Invoice.objects.get()
    assert invoice.buyer_address == "12 rue des Lilas\n44000 Nantes"


def test_stripe_not_answering_is_a_503_page_saying_to_try_again(start_card, stripe_fake, run):
    stripe_fake.fail = True
    response, payment = start_card()
    assert response.status_code == 503
    assert response["Retry-After"]
    html = response.content.decode()
    assert "Service de paiement indisponible" in html and "Réessayez dans quelques minutes" in html
    assert reverse("payments:start", kwargs={"occurrence_id": run.pk}) in html
    assert payment.registration.status == RegistrationStatus.CANCELLED


def test_stripe_not_answering_on_resume_is_a_503_too(member_client, promoted, stripe_fake, committing):
    stripe_fake.fail = True
    response = committing(member_client.get, reverse("payments:resume", kwargs={"payment_id": promoted.pk}))
    assert response.status_code == 503
    assert "Réessayez" in response.content.decode()


def test_a_failed_refund_is_shown_in_my_account_and_on_the_admin_home(
    member_client, start_card, stripe_fake, post_event, committing
):
    from payments.apps import grant_editor_permissions
    from registrations.services import cancel
    from tests.factories import EditorFactory

    _response, payment = start_card()
    post_event(Client(), event("checkout.session.completed", stripe_fake.complete(payment.stripe_session_id)))
    stripe_fake.fail = True
    committing(cancel, Payment.objects.get().registration)
    assert Refund.objects.get().status == "failed"
    html = member_client.get(reverse("members:account")).content.decode()
    assert "Remboursement de 360,00 €" in html or "Remboursement de 360.00 €" in html
    assert "n'a pas abouti" in html
    grant_editor_permissions()
    editor = Client()
    editor.force_login(EditorFactory())
    html = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert "Remboursements en échec" in html
    assert reverse("payments_admin_refund_retry", kwargs={"pk": Refund.objects.get().pk}) in html
