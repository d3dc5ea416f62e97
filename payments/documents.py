"""Invoices, credit notes and quotes as PDF (WeasyPrint), invoices and credit notes as Factur-X:
the PDF with its CII XML (BASIC WL profile) embedded, which Chorus Pro accepts."""

import datetime
import io
import re
from decimal import Decimal

from django.utils import timezone

from facturx import generate_from_binary
from lxml import etree
from pypdf import PdfReader, PdfWriter

from base.pdf import render_pdf

from . import conf
from .models import CreditNote

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
PROFILE = "urn:factur-x.eu:1p0:basicwl"
INVOICE_TYPE, CREDIT_NOTE_TYPE = "380", "381"
VAT_EXEMPTION = "Exonération de TVA, article 261-4-4° a du CGI (formation professionnelle continue)"
# BT-23, the French "cadre de facturation" (BR-FR-08): services invoiced (S1), or already paid (S2).
FRAMEWORK_SERVICES, FRAMEWORK_SERVICES_PAID = "S1", "S2"
# The legal mentions every French invoice carries, as coded notes (BR-FR-05), worded as on the PDF.
LEGAL_NOTES = (
    (
        "PMT",
        "Une indemnité forfaitaire pour frais de recouvrement de 40 € est due en cas de retard de paiement "
        "(articles L. 441-10 et D. 441-5 du code de commerce).",
    ),
    (
        "PMD",
        "En cas de retard de paiement, des pénalités sont exigibles au taux d'intérêt appliqué par la Banque "
        "centrale européenne à son opération de refinancement la plus récente majoré de 10 points "
        "(article L. 441-10 du code de commerce).",
    ),
    ("AAB", "Pas d'escompte pour paiement anticipé."),
)
# Electronic addresses (BT-34, BT-49): 0225 is the French directory's SIREN-based address, EM an e-mail.
SCHEME_SIREN_ADDRESS, SCHEME_EMAIL = "0225", "EM"


def _split_address(text):
    """(line one, postcode, city) from a free-text French address."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    postcode, city = "", ""
    if lines:
        match = re.match(r"^(\d{5})\s+(.+)$", lines[-1])
        if match:
            postcode, city = match.groups()
            lines = lines[:-1]
    return (lines[0] if lines else ""), postcode, city


def _money(value):
    return f"{Decimal(value):.2f}"


NAMESPACES = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}


def _el(parent, tag, text=None, **attrs):
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NAMESPACES[prefix]}}}{name}", **attrs)
    if text is not None:
        element.text = str(text)
    return element


def _date(parent, tag, value, *, kind="udt"):
    holder = _el(parent, tag)
    _el(holder, f"{kind}:DateTimeString", value.strftime("%Y%m%d"), format="102")


def _party(parent, tag, *, name, siret="", address="", vat_number="", siren_only=False, email=""):
    party = _el(parent, tag)
    _el(party, "ram:Name", name)
    if siret:
        legal = _el(party, "ram:SpecifiedLegalOrganization")
        # 0002: SIREN; 0009: SIRET (ISO 6523 identifiers used by Chorus Pro).
        _el(legal, "ram:ID", siret[:9] if siren_only else siret, schemeID="0002" if siren_only else "0009")
    line, postcode, city = _split_address(address)
    postal = _el(party, "ram:PostalTradeAddress")
    if postcode:
        _el(postal, "ram:PostcodeCode", postcode)
    if line:
        _el(postal, "ram:LineOne", line)
    if city:
        _el(postal, "ram:CityName", city)
    _el(postal, "ram:CountryID", "FR")
    if siret or email:
        scheme = SCHEME_SIREN_ADDRESS if siret else SCHEME_EMAIL
        _el(_el(party, "ram:URIUniversalCommunication"), "ram:URIID", siret[:9] if siret else email, schemeID=scheme)
    if vat_number:
        tax = _el(party, "ram:SpecifiedTaxRegistration")
        _el(tax, "ram:ID", vat_number, schemeID="VA")
    return party


def cii_xml(document):
    """The Factur-X (CII, BASIC WL) XML of an Invoice or a CreditNote, as bytes."""

    is_credit_note = isinstance(document, CreditNote)
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap={"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT})
    context = _el(root, "rsm:ExchangedDocumentContext")
    framework = FRAMEWORK_SERVICES_PAID if _paid_at_issue(document) else FRAMEWORK_SERVICES
    _el(_el(context, "ram:BusinessProcessSpecifiedDocumentContextParameter"), "ram:ID", framework)
    _el(_el(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", PROFILE)
    _header(root, document, is_credit_note=is_credit_note)
    transaction = _el(root, "rsm:SupplyChainTradeTransaction")
    _agreement(transaction, document)
    _el(transaction, "ram:ApplicableHeaderTradeDelivery")
    _settlement(transaction, document, is_credit_note=is_credit_note)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _header(root, document, *, is_credit_note):
    header = _el(root, "rsm:ExchangedDocument")
    _el(header, "ram:ID", document.number)
    _el(header, "ram:TypeCode", CREDIT_NOTE_TYPE if is_credit_note else INVOICE_TYPE)
    _date(header, "ram:IssueDateTime", document.issued_on)
    note = _el(header, "ram:IncludedNote")
    _el(note, "ram:Content", document.description)
    for code, text in LEGAL_NOTES:
        note = _el(header, "ram:IncludedNote")
        _el(note, "ram:Content", text)
        _el(note, "ram:SubjectCode", code)


def _paid_at_issue(document):
    """An invoice paid when issued (by card): the French "facture déjà payée" framework."""
    return getattr(document, "paid_on", None) is not None and document.paid_on <= document.issued_on


def _paid_amount(document):
    """What the buyer already paid of this document (BT-113): all of a paid invoice, else nothing."""
    return document.amount_ttc if getattr(document, "paid_on", None) is not None else Decimal("0")


def _buyer_email(document):
    invoice = getattr(document, "invoice", None) or document  # a credit note's invoice, or the invoice
    return invoice.payment.registration.email


def _agreement(transaction, document):
    """The seller, the buyer and the buyer's references (Chorus Pro service code, order)."""
    seller = conf.seller()
    agreement = _el(transaction, "ram:ApplicableHeaderTradeAgreement")
    if document.chorus_service_code:
        _el(agreement, "ram:BuyerReference", document.chorus_service_code)
    _party(
        agreement,
        "ram:SellerTradeParty",
        name=seller["name"],
        siret=seller["siret"],
        address=seller["address"],
        vat_number=seller["vat_number"],
        siren_only=True,
    )
    _party(
        agreement,
        "ram:BuyerTradeParty",
        name=document.buyer_name,
        siret=document.buyer_siret,
        address=document.buyer_address,
        email="" if document.buyer_siret else _buyer_email(document),
    )
    if document.purchase_order:
        _el(_el(agreement, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID", document.purchase_order)


def _settlement(transaction, document, *, is_credit_note):
    """VAT, payment terms, totals and, for a credit note, the invoice it cancels."""
    settlement = _el(transaction, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:InvoiceCurrencyCode", "EUR")
    tax = _el(settlement, "ram:ApplicableTradeTax")
    _el(tax, "ram:CalculatedAmount", _money(document.vat_amount))
    _el(tax, "ram:TypeCode", "VAT")
    exempt = not document.vat_rate
    if exempt:
        _el(tax, "ram:ExemptionReason", VAT_EXEMPTION)
    _el(tax, "ram:BasisAmount", _money(document.amount_ht))
    _el(tax, "ram:CategoryCode", "E" if exempt else "S")
    _el(tax, "ram:RateApplicablePercent", _money(document.vat_rate))
    due_on = getattr(document, "due_on", None)
    if due_on:
        _date(_el(settlement, "ram:SpecifiedTradePaymentTerms"), "ram:DueDateDateTime", due_on)
    totals = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(totals, "ram:LineTotalAmount", _money(document.amount_ht))
    _el(totals, "ram:TaxBasisTotalAmount", _money(document.amount_ht))
    _el(totals, "ram:TaxTotalAmount", _money(document.vat_amount), currencyID="EUR")
    _el(totals, "ram:GrandTotalAmount", _money(document.amount_ttc))
    paid = _paid_amount(document)
    if paid:
        _el(totals, "ram:TotalPrepaidAmount", _money(paid))
    _el(totals, "ram:DuePayableAmount", _money(document.amount_ttc - paid))
    if is_credit_note:
        referenced = _el(settlement, "ram:InvoiceReferencedDocument")
        _el(referenced, "ram:IssuerAssignedID", document.invoice.number)
        _date(referenced, "ram:FormattedIssueDateTime", document.invoice.issued_on, kind="qdt")


def render_billing_pdf(template_name, context):
    """PDF/A-3, as Factur-X requires."""
    return render_pdf(template_name, {"seller": conf.seller(), **context}, variant="pdf/a-3b")


def billing_pdf(document):
    """The Factur-X PDF of an Invoice or a CreditNote (PDF/A-3 with the CII XML embedded)."""

    is_credit_note = isinstance(document, CreditNote)
    pdf = render_billing_pdf(
        "payments/pdf/billing_document.html",
        {
            "document": document,
            "is_credit_note": is_credit_note,
            "vat_exemption": VAT_EXEMPTION if not document.vat_rate else "",
            "payment_terms_days": conf.payment_terms_days(),
        },
    )
    xml = cii_xml(document)
    facturx = generate_from_binary(pdf, xml, flavor="factur-x", level="basicwl", check_xsd=True, lang="fr-FR")
    return _matching_producer(facturx)


def _matching_producer(pdf):
    """PDF/A wants the document info and the XMP metadata to agree. The factur-x library writes
    its own XMP (producer "pypdf", its creator tool) and its own /Creator, but leaves WeasyPrint's
    /Producer in the document info: align the info's producer on the XMP's."""

    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.xmp_metadata
    if xmp is None or not xmp.pdf_producer or (reader.metadata or {}).get("/Producer") == xmp.pdf_producer:
        return pdf
    writer = PdfWriter(clone_from=reader)
    writer.add_metadata({"/Producer": xmp.pdf_producer})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def quote_pdf(occurrence, price, *, training, person=None, today=None):
    """A quote (devis) for one seat on a run, valid 30 days."""
    today = today or timezone.localdate()
    number = f"DEVIS-{occurrence.pk}-{today:%Y%m%d}"
    return number, render_billing_pdf(
        "payments/pdf/quote.html",
        {
            "number": number,
            "today": today,
            "valid_until": today + datetime.timedelta(days=30),
            "occurrence": occurrence,
            "training": training,
            "price": price,
            "person": person,
            "vat_exemption": VAT_EXEMPTION if not price.vat_rate else "",
        },
    )
