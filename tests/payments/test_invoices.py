import datetime
from decimal import Decimal

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest
from facturx import get_xml_from_pdf
from lxml import etree

from payments.documents import NAMESPACES, billing_pdf
from payments.invoicing import issue_credit_note, mark_invoice_paid, next_number
from payments.models import CreditNote, Invoice, InvoiceStatus, Payment, PaymentStatus
from registrations.models import Registration, RegistrationStatus

pytestmark = pytest.mark.django_db

BILLING = {
    "billing_entity": "Ville de Nantes",
    "billing_siret": "214 401 093 00015",
    "billing_address": "2 rue de l'Hôtel de Ville\n44000 Nantes",
    "purchase_order": "BC-2026-0042",
    "chorus_service_code": "SERV-ACHATS",
}


@pytest.fixture
def pay_by_invoice(member_client, run, committing):
    def pay(**overrides):
        url = reverse("payments:pay_by_invoice", kwargs={"occurrence_id": run.pk})
        return committing(member_client.post, url, {**BILLING, **overrides})

    return pay


def test_invoice_payment_confirms_and_issues_a_numbered_invoice_by_email(pay_by_invoice, no_stripe, member):
    mail.outbox.clear()
    response = pay_by_invoice(amount="1")  # a tampered amount is ignored
    payment = Payment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:payment", kwargs={"payment_id": payment.pk})
    assert payment.registration.status == RegistrationStatus.CONFIRMED
    assert payment.method == "invoice" and payment.status == PaymentStatus.PENDING
    assert payment.billing_siret == "21440109300015"
    invoice = Invoice.objects.get()
    year = timezone.localdate().year
    assert invoice.number == f"FA-{year}-00001"
    assert (invoice.amount_ht, invoice.vat_amount, invoice.amount_ttc) == (
        Decimal("300.00"),
        Decimal("60.00"),
        Decimal("360.00"),
    )
    assert invoice.due_on == invoice.issued_on + datetime.timedelta(days=30)
    assert invoice.purchase_order == "BC-2026-0042" and invoice.chorus_service_code == "SERV-ACHATS"
    subjects = [m.subject for m in mail.outbox]
    assert f"Votre facture {invoice.number}" in subjects
    sent = mail.outbox[subjects.index(f"Votre facture {invoice.number}")]
    assert sent.attachments[0][0] == f"{invoice.number}.pdf"
    assert sent.attachments[0][1].startswith(b"%PDF")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("billing_siret", "12345678901234", "clé de contrôle"),
        ("billing_siret", "123", "14 chiffres"),
        ("purchase_order", "", "Indiquez le numéro de bon de commande."),
        ("billing_entity", "   ", "Indiquez l&#x27;entité facturée."),
    ],
)
def test_invalid_billing_form_is_400_in_french_and_registers_nobody(pay_by_invoice, field, value, message):
    response = pay_by_invoice(**{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Registration.objects.exists()
    assert not Invoice.objects.exists()


def test_waitlisted_invoice_payer_gets_the_invoice_when_promoted(pay_by_invoice, run, member_client, committing):
    from registrations.services import cancel, register
    from tests.factories import MemberFactory

    run.capacity = 1
    run.save()
    first = register(run, user=MemberFactory())
    pay_by_invoice()
    payment = Payment.objects.get()
    assert payment.registration.status == RegistrationStatus.WAITLISTED
    assert not Invoice.objects.exists()
    committing(cancel, first)
    payment.registration.refresh_from_db()
    assert payment.registration.status == RegistrationStatus.CONFIRMED
    assert Invoice.objects.get().payment == payment


def test_numbering_is_sequential_per_year_and_per_kind(run, member):
    from django.db import transaction

    with transaction.atomic():
        numbers = [next_number("FA", year=2026) for _ in range(3)] + [
            next_number("FA", year=2027),
            next_number("AV", year=2026),
        ]
    assert numbers == ["FA-2026-00001", "FA-2026-00002", "FA-2026-00003", "FA-2027-00001", "AV-2026-00001"]


def test_a_rolled_back_issue_gives_its_number_back(run, member):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        next_number("FA", year=2030)
        raise RuntimeError
    with transaction.atomic():
        assert next_number("FA", year=2030) == "FA-2030-00001"


def _xml(document):
    xml_name, xml = get_xml_from_pdf(billing_pdf(document), check_xsd=True)
    return xml_name, etree.fromstring(xml)


def test_invoice_pdf_is_factur_x_with_parseable_xml(pay_by_invoice):
    pay_by_invoice()
    invoice = Invoice.objects.get()
    name, root = _xml(invoice)
    assert name == "factur-x.xml"
    ns = {"rsm": NAMESPACES["rsm"], "ram": NAMESPACES["ram"], "udt": NAMESPACES["udt"]}
    assert root.findtext(".//rsm:ExchangedDocument/ram:ID", namespaces=ns) == invoice.number
    assert root.findtext(".//rsm:ExchangedDocument/ram:TypeCode", namespaces=ns) == "380"
    assert root.findtext(".//ram:GrandTotalAmount", namespaces=ns) == "360.00"
    assert root.findtext(".//ram:TaxTotalAmount", namespaces=ns) == "60.00"
    assert root.findtext(".//ram:BuyerReference", namespaces=ns) == "SERV-ACHATS"
    assert root.findtext(".//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID", namespaces=ns) == "BC-2026-0042"
    assert (
        root.findtext(".//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID", namespaces=ns) == "21440109300015"
    )
    assert (
        root.findtext(".//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID", namespaces=ns) == "FR23802954784"
    )


def test_invoice_pdf_states_the_legal_mentions(pay_by_invoice):
    from django.template.loader import render_to_string

    from payments import conf

    pay_by_invoice()
    invoice = Invoice.objects.get()
    html = render_to_string(
        "payments/pdf/billing_document.html", {"document": invoice, "seller": conf.seller(), "payment_terms_days": 30}
    )
    for mention in (
        conf.seller()["siret"],
        conf.seller()["vat_number"],
        "21440109300015",
        "BC-2026-0042",
        "SERV-ACHATS",
        "Total HT",
        "TVA (20 %)",
        "Total TTC",
        "Paiement à 30 jours",
        "pénalités",
        "indemnité forfaitaire pour frais de recouvrement de 40 €",
        invoice.issued_on.strftime("%Y"),
    ):
        assert mention in html, mention


def test_cancelling_before_the_deadline_issues_a_full_credit_note(pay_by_invoice, committing):
    from registrations.services import cancel

    pay_by_invoice()
    invoice = Invoice.objects.get()
    committing(cancel, invoice.payment.registration)
    invoice.refresh_from_db()
    note = CreditNote.objects.get()
    assert note.invoice == invoice and note.amount_ttc == Decimal("360.00")
    assert note.number.startswith("AV-")
    assert invoice.status == InvoiceStatus.CANCELLED
    assert Payment.objects.get().status == PaymentStatus.CANCELLED
    _name, root = _xml(note)
    ns = {"rsm": NAMESPACES["rsm"], "ram": NAMESPACES["ram"]}
    assert root.findtext(".//rsm:ExchangedDocument/ram:TypeCode", namespaces=ns) == "381"
    assert root.findtext(".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID", namespaces=ns) == invoice.number


def test_late_cancellation_follows_the_training_rule(pay_by_invoice, run, training):
    from registrations.services import cancel

    training.cancellation_deadline_days = 40  # the run starts in 30 days: we are past the deadline
    training.late_cancellation_charge = 50
    training.save()
    pay_by_invoice()
    cancel(Payment.objects.get().registration)
    note = CreditNote.objects.get()
    assert note.amount_ttc == Decimal("180.00")
    assert (note.amount_ht, note.vat_amount) == (Decimal("150.00"), Decimal("30.00"))
    assert Invoice.objects.get().status == InvoiceStatus.ISSUED  # half is still due
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_late_cancellation_with_nothing_refundable_keeps_the_invoice(pay_by_invoice, training):
    from registrations.services import cancel

    training.cancellation_deadline_days = 40
    training.save()
    pay_by_invoice()
    cancel(Payment.objects.get().registration)
    assert not CreditNote.objects.exists()
    assert Invoice.objects.get().status == InvoiceStatus.ISSUED


def test_credit_note_cannot_exceed_what_remains(pay_by_invoice):
    from payments.errors import PaymentError

    pay_by_invoice()
    invoice = Invoice.objects.get()
    issue_credit_note(invoice, reason="geste", amount_ttc=Decimal("100"))
    with pytest.raises(PaymentError) as error:
        issue_credit_note(invoice, reason="trop", amount_ttc=Decimal("300"))
    assert error.value.code == "invalid_amount"


def test_mark_paid_then_cancelled_invoice_cannot_be_marked_paid(pay_by_invoice):
    from payments.errors import PaymentError

    pay_by_invoice()
    invoice = mark_invoice_paid(Invoice.objects.get())
    assert invoice.status == InvoiceStatus.PAID and Payment.objects.get().status == PaymentStatus.PAID
    other = Invoice.objects.get()
    other.status = InvoiceStatus.CANCELLED
    other.save()
    with pytest.raises(PaymentError) as error:
        mark_invoice_paid(other)
    assert error.value.code == "cancelled"


def test_card_cancellation_before_deadline_is_refunded_through_stripe(
    client, start_card, stripe_fake, post_event, committing
):
    from registrations.services import cancel

    from .stripe_fake import event

    _response, payment = start_card()
    post_event(client, event("checkout.session.completed", stripe_fake.complete(payment.stripe_session_id)))
    mail.outbox.clear()
    committing(cancel, Payment.objects.get().registration)
    payment.refresh_from_db()
    assert [r["amount"] for r in stripe_fake.refunds] == [36000]
    assert stripe_fake.posted("/v1/refunds")[0]["payment_intent"] == payment.stripe_payment_intent
    assert payment.status == PaymentStatus.REFUNDED and payment.refunded_amount == Decimal("360.00")
    assert CreditNote.objects.get().amount_ttc == Decimal("360.00")
    assert "Votre remboursement" in [m.subject for m in mail.outbox]
    # Running the refund task again sends nothing more.
    from payments.refunds import send_refund_to_stripe

    send_refund_to_stripe(payment.refunds.get().pk)
    assert len(stripe_fake.refunds) == 1


def test_refund_failure_is_recorded_not_lost(client, start_card, stripe_fake, post_event, committing):
    from registrations.services import cancel

    from .stripe_fake import event

    _response, payment = start_card()
    post_event(client, event("checkout.session.completed", stripe_fake.complete(payment.stripe_session_id)))
    stripe_fake.fail = True
    committing(cancel, Payment.objects.get().registration)
    refund = Payment.objects.get().refunds.get()
    assert refund.status == "failed" and "réessayez" in refund.note
    assert Payment.objects.get().status == PaymentStatus.PAID


def test_quote_pdf_before_registering(member_client, run):
    response = member_client.get(reverse("payments:quote", kwargs={"occurrence_id": run.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"DEVIS-{run.pk}-" in response["Content-Disposition"]


def test_quote_for_a_training_free_for_me_is_a_clear_page_and_never_offered(member_client, run, training):
    quote_url = reverse("payments:quote", kwargs={"occurrence_id": run.pk})
    assert quote_url in member_client.get(training.url).content.decode()
    training.free_for_members = True
    training.save_revision().publish()
    assert quote_url not in member_client.get(training.url).content.decode()
    response = member_client.get(quote_url)  # reached directly (an old link, a bookmark)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cette formation est gratuite pour vous" in html
    assert reverse("registrations:register", kwargs={"occurrence_id": run.pk}) in html


def test_cancelled_run_refunds_in_full_even_after_the_deadline(
    client, start_card, stripe_fake, post_event, committing, training, run
):
    from registrations.occurrences import cancel_occurrence

    from .stripe_fake import event

    training.cancellation_deadline_days = 60  # well past the deadline: the rule would keep everything
    training.save()
    _response, payment = start_card()
    post_event(client, event("checkout.session.completed", stripe_fake.complete(payment.stripe_session_id)))
    committing(cancel_occurrence, run, reason="Formateur malade")
    payment.refresh_from_db()
    assert payment.registration.status == RegistrationStatus.CANCELLED
    assert [r["amount"] for r in stripe_fake.refunds] == [36000]
    assert payment.status == PaymentStatus.REFUNDED
    assert Invoice.objects.get(payment=payment).status == InvoiceStatus.CANCELLED
