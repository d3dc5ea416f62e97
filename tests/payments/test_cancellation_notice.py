"""Before cancelling, the person reads what it costs: the late-cancellation rule, the refund or
the credit note. « Mon compte » and the e-mail's link show the same words, from the same rule
that then settles the cancellation."""

from decimal import Decimal

from django.urls import reverse

import pytest

from payments.models import CreditNote, Invoice, Payment, PaymentMethod, PaymentStatus
from registrations.emails import cancel_token
from registrations.models import RegistrationStatus

from .test_invoices import BILLING

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoiced(member_client, run, committing):
    committing(member_client.post, reverse("payments:pay_by_invoice", kwargs={"occurrence_id": run.pk}), BILLING)
    return Payment.objects.get().registration


def mine(registration):
    return reverse("registrations:cancel_mine", kwargs={"pk": registration.pk})


def test_account_asks_first_and_names_the_credit_note(member_client, invoiced, committing):
    number = Invoice.objects.get().number
    page = member_client.get(mine(invoiced)).content.decode()
    assert f"Un avoir de 360,00 € TTC sera émis sur votre facture {number}." in page
    assert "Annulation tardive" not in page
    invoiced.refresh_from_db()
    assert invoiced.status == RegistrationStatus.CONFIRMED  # asking cancels nothing
    assert committing(member_client.post, mine(invoiced)).status_code == 302
    invoiced.refresh_from_db()
    assert invoiced.status == RegistrationStatus.CANCELLED
    assert CreditNote.objects.get().amount_ttc == Decimal("360.00")  # what was announced


@pytest.mark.parametrize(("charge", "expected"), [(50, "Un avoir de 180,00 € TTC"), (100, "reste due")])
def test_late_cancellation_states_the_rule(member_client, invoiced, training, charge, expected):
    training.cancellation_deadline_days, training.late_cancellation_charge = 40, charge  # the run is in 30 days
    training.save()
    page = member_client.get(mine(invoiced)).content.decode()
    assert "Annulation tardive" in page and f"{charge} % du prix reste dû" in page and expected in page


def test_e_mail_link_shows_the_same_consequences(client, member_client, invoiced):
    from_account = member_client.get(mine(invoiced)).content.decode()
    client.logout()
    from_link = client.get(reverse("registrations:cancel", kwargs={"token": cancel_token(invoiced)})).content.decode()
    sentence = "Un avoir de 360,00 € TTC"
    assert sentence in from_account and sentence in from_link


def test_card_payment_refund_is_announced(member_client, invoiced):
    Payment.objects.filter(registration=invoiced).update(method=PaymentMethod.CARD, status=PaymentStatus.PAID)
    Invoice.objects.all().delete()
    page = member_client.get(mine(invoiced)).content.decode()
    assert "Vous serez remboursé·e de 360,00 € TTC sur la carte utilisée." in page
