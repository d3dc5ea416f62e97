import datetime
from io import StringIO

from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

import pytest

from payments.models import Invoice, InvoiceStatus, Payment, PaymentStatus
from registrations.models import RegistrationStatus
from tests.factories import EditorFactory, MemberFactory
from tests.utils import assert_sent_to_admin_login

from .stripe_fake import event
from .test_invoices import BILLING

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoiced(member_client, run, no_stripe):
    member_client.post(reverse("payments:pay_by_invoice", kwargs={"occurrence_id": run.pk}), BILLING)
    return Invoice.objects.get()


@pytest.fixture
def editor_client():
    from django.test import Client

    from payments.apps import grant_editor_permissions

    editor = EditorFactory()
    grant_editor_permissions()
    client = Client()
    client.force_login(editor)
    return client


def test_my_invoices_section_lists_and_downloads_my_documents(member_client, invoiced):
    html = member_client.get(reverse("members:account")).content.decode()
    assert "Mes factures" in html
    url = reverse("payments:invoice_pdf", kwargs={"number": invoiced.number})
    assert url in html
    response = member_client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_someone_elses_invoice_is_404_and_anonymous_must_log_in(invoiced):
    from django.test import Client

    client = Client()
    url = reverse("payments:invoice_pdf", kwargs={"number": invoiced.number})
    assert client.get(url).status_code == 302
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 404
    assert client.get(reverse("payments:invoice_pdf", kwargs={"number": "FA-1999-99999"})).status_code == 404


def test_payment_page_is_private(invoiced):
    from django.test import Client

    client = Client()
    url = reverse("payments:payment", kwargs={"payment_id": invoiced.payment_id})
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 404


def test_editor_sees_payments_per_run_and_marks_an_invoice_paid(editor_client, invoiced, run):
    response = editor_client.get(reverse("payments_admin_run", kwargs={"occurrence_id": run.pk}))
    assert response.status_code == 200
    assert invoiced.number in response.content.decode()
    response = editor_client.post(reverse("payments_admin_invoice_paid", kwargs={"pk": invoiced.pk}))
    assert response.status_code == 302
    invoiced.refresh_from_db()
    assert invoiced.status == InvoiceStatus.PAID and invoiced.paid_on == timezone.localdate()
    assert Payment.objects.get().status == PaymentStatus.PAID


def test_member_cannot_use_admin_actions(member_client, invoiced):
    url = reverse("payments_admin_invoice_paid", kwargs={"pk": invoiced.pk})
    response = member_client.post(url)
    assert_sent_to_admin_login(response, url)
    invoiced.refresh_from_db()
    assert invoiced.status == InvoiceStatus.ISSUED


def test_exports_csv_and_xlsx(editor_client, invoiced):
    response = editor_client.get(reverse("payments_invoice:index") + "?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert invoiced.number in body and "BC-2026-0042" in body
    response = editor_client.get(reverse("payments_payment:index") + "?export=xlsx")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


def test_admin_lists_render(editor_client, invoiced):
    for name in (
        "payments_payment:index",
        "payments_invoice:index",
        "payments_creditnote:index",
        "payments_stripeevent:index",
    ):
        assert editor_client.get(reverse(name)).status_code == 200
    refused = editor_client.get(reverse("payments_payment:add"))  # payments are made, never typed in
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")


def test_editor_refunds_a_card_payment(editor_client, start_card, stripe_fake, post_event, committing):
    from django.test import Client

    _response, payment = start_card()
    post_event(Client(), event("checkout.session.completed", stripe_fake.complete(payment.stripe_session_id)))
    url = reverse("payments_admin_refund", kwargs={"pk": payment.pk})
    assert editor_client.get(url).status_code == 200
    response = committing(editor_client.post, url, {"amount": "999", "reason": "geste"})
    assert response.status_code == 400
    assert "dépasse" in response.content.decode()
    response = committing(
        editor_client.post, url, {"amount": "60,00", "reason": "geste commercial", "credit_note": "on"}
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    assert [r["amount"] for r in stripe_fake.refunds] == [6000]
    assert Invoice.objects.get(payment=payment).credit_notes.get().amount_ttc == 60


def test_reconcile_command_settles_pending_payments_through_the_seam(start_card, stripe_fake):
    _r, paid = start_card()
    from tests.factories import MemberFactory

    stripe_fake.complete(paid.stripe_session_id)
    other_client_payment = None
    from django.test import Client

    client = Client()
    client.force_login(MemberFactory())
    run_id = paid.registration.occurrence_id
    client.post(reverse("payments:pay_by_card", kwargs={"occurrence_id": run_id}))
    other_client_payment = Payment.objects.order_by("-pk").first()
    stripe_fake.expire(other_client_payment.stripe_session_id)
    today = timezone.localdate().isoformat()
    out = StringIO()
    call_command("reconcile_payments", "--from", today, "--to", today, stdout=out)
    assert "vérifiés : 2 ; payés : 1 ; expirés : 1" in out.getvalue()
    paid.refresh_from_db()
    other_client_payment.refresh_from_db()
    assert paid.status == PaymentStatus.PAID and paid.registration.status == RegistrationStatus.CONFIRMED
    assert other_client_payment.status == PaymentStatus.EXPIRED
    assert other_client_payment.registration.status == RegistrationStatus.CANCELLED
    # Twice: nothing left to do.
    out = StringIO()
    call_command("reconcile_payments", "--from", today, "--to", today, stdout=out)
    assert "vérifiés : 0" in out.getvalue()


@pytest.mark.parametrize(
    "args", [["--from", "2026-13-01", "--to", "2026-12-01"], ["--from", "2026-05-02", "--to", "2026-05-01"]]
)
def test_reconcile_rejects_bad_dates(args):
    with pytest.raises(CommandError):
        call_command("reconcile_payments", *args, stdout=StringIO())


def test_reconcile_is_a_periodic_job_and_does_nothing_without_keys(no_stripe):
    from home.management.commands.run_periodic_jobs import periodic_commands

    assert "reconcile_payments" in periodic_commands()
    out = StringIO()
    call_command("reconcile_payments", stdout=out)
    assert "non configuré" in out.getvalue()


def test_reconcile_without_dates_covers_the_last_days(start_card, stripe_fake):
    _r, payment = start_card()
    stripe_fake.complete(payment.stripe_session_id)
    out = StringIO()
    call_command("reconcile_payments", stdout=out)
    assert "vérifiés : 1 ; payés : 1" in out.getvalue()


def test_released_hold_expires_the_payment(start_card, stripe_fake, committing):
    from registrations.services import release_expired_holds

    _r, payment = start_card()
    committing(release_expired_holds, now=timezone.now() + datetime.timedelta(hours=1))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED
    assert payment.registration.status == RegistrationStatus.CANCELLED
    assert stripe_fake.sessions[payment.stripe_session_id]["status"] == "expired"


def test_generic_register_view_sends_paid_trainings_to_payment(member_client, run, training):
    response = member_client.get(reverse("registrations:register", kwargs={"occurrence_id": run.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:start", kwargs={"occurrence_id": run.pk})
    training.free_for_members = True
    training.save()
    response = member_client.get(reverse("registrations:register", kwargs={"occurrence_id": run.pk}))
    assert response.status_code == 200


def test_payment_start_sends_free_runs_to_the_generic_flow(member_client, run, training):
    training.free_for_members = True
    training.save()
    response = member_client.get(reverse("payments:start", kwargs={"occurrence_id": run.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:register", kwargs={"occurrence_id": run.pk})


def test_members_only_training_refuses_non_members(client, run, training, stripe_fake):
    from tests.factories import UserFactory

    run.audience = "members"
    run.save()
    client.force_login(UserFactory())
    response = client.post(reverse("payments:pay_by_card", kwargs={"occurrence_id": run.pk}))
    assert response.status_code == 403
    assert "réservée aux membres" in response.content.decode()


def test_failed_refund_can_be_retried_from_the_admin(editor_client, start_card, stripe_fake, post_event, committing):
    from django.test import Client

    from payments.models import Refund
    from registrations.services import cancel

    _response, payment = start_card()
    post_event(Client(), event("checkout.session.completed", stripe_fake.complete(payment.stripe_session_id)))
    stripe_fake.fail = True
    committing(cancel, Payment.objects.get().registration)
    refund = Refund.objects.get()
    assert refund.status == "failed"
    assert editor_client.get(reverse("payments_refund:index")).status_code == 200
    url = reverse("payments_admin_refund_retry", kwargs={"pk": refund.pk})
    assert editor_client.get(url).status_code == 200
    stripe_fake.fail = False
    assert committing(editor_client.post, url).status_code == 302
    refund.refresh_from_db()
    assert refund.status == "succeeded" and refund.attempts == 2
    posts = [path for method, path, data in stripe_fake.calls if path == "/v1/refunds"]
    assert len(posts) == 4  # Stripe's library tries a 500 three times, then the retry succeeds
    assert Payment.objects.get().status == PaymentStatus.REFUNDED
    # A succeeded refund is not sent again.
    committing(editor_client.post, url)
    assert len(stripe_fake.refunds) == 1


def test_giving_up_the_seat_expires_the_checkout_session(member_client, start_card, stripe_fake, committing):
    _response, payment = start_card()
    url = reverse("payments:checkout_cancelled", kwargs={"payment_id": payment.pk})
    assert "Libérer ma place" in member_client.get(url).content.decode()
    committing(member_client.post, url)
    payment.refresh_from_db()
    assert payment.registration.status == RegistrationStatus.CANCELLED
    assert payment.status == PaymentStatus.CANCELLED  # released by the person: a late payment is refunded
    assert stripe_fake.sessions[payment.stripe_session_id]["status"] == "expired"


def test_waitlisted_card_payer_is_asked_to_pay_when_promoted(
    member_client, start_card, stripe_fake, run, committing, post_event
):
    from django.core import mail
    from django.test import Client

    from registrations.services import cancel, register

    run.capacity = 1
    run.save()
    first = register(run, user=MemberFactory())
    _response, payment = start_card()
    assert payment.registration.status == RegistrationStatus.WAITLISTED
    mail.outbox.clear()
    committing(cancel, first)
    payment.refresh_from_db()
    assert payment.registration.status == RegistrationStatus.CONFIRMED
    pay_url = reverse("payments:resume", kwargs={"payment_id": payment.pk})
    assert any(pay_url in m.body for m in mail.outbox)
    response = committing(member_client.get, pay_url)
    assert response.status_code == 302 and response["Location"].startswith("https://checkout.stripe.com/")
    payment.refresh_from_db()
    post_event(Client(), event("checkout.session.completed", stripe_fake.complete(payment.stripe_session_id)))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert Invoice.objects.filter(payment=payment).exists()
    assert member_client.get(pay_url).status_code == 409  # nothing left to pay


def test_training_payments_overview_from_the_page(editor_client, invoiced, training, run):
    url = reverse("payments_admin_training", args=[training.pk])
    html = editor_client.get(reverse("wagtailadmin_pages:edit", args=[training.pk])).content.decode()
    assert url in html
    response = editor_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("payments_admin_run", kwargs={"occurrence_id": run.pk}) in html
    assert "360,00 €" in html or "360.00 €" in html  # pending invoice
