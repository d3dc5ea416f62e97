"""Invoices and credit notes (avoirs): gapless numbering, issuing, marking paid."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from . import conf
from .errors import PaymentError
from .models import CENT, CreditNote, DocumentSequence, Invoice, InvoiceStatus, Payment, PaymentMethod, PaymentStatus
from .tasks import email_on_commit


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
        email_on_commit(payment, "invoice_issued")
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
    email_on_commit(invoice.payment, "credit_note")
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
