"""Demo: registrations paid by invoice for the course on social clauses (past and upcoming
runs), one invoice already paid. Rows are found again by e-mail, so running it twice leaves the
same rows; no e-mail goes out for the invoices."""

from django.db.models import Q
from django.utils import timezone

from members.models import Organisation, User
from members.validators import with_luhn_key
from registrations.models import Registration, RegistrationStatus
from registrations.services import register
from trainings.models import TrainingPage

from .invoicing import issue_invoice, mark_invoice_paid
from .models import Invoice, InvoiceStatus, Payment, PaymentMethod
from .pricing import price_of
from .services import _new_payment

UPCOMING = [("membre@nantes.fr", "BC-2026-0117", "SERV-ACHATS", True), ("membre@rennes.fr", "2026-DCP-0042", "", False)]
PAST = [("Nathalie", "Guérin", "BC-2026-0031"), ("Erwan", "Le Gall", "2026-ACH-0007")]


def _billing(organisation, purchase_order, service_code):
    return {
        "billing_entity": organisation.name,
        "billing_siret": with_luhn_key(f"{organisation.siren}0001"),
        "billing_address": f"Direction de la commande publique\n{organisation.city or 'Nantes'}",
        "purchase_order": purchase_order,
        "chorus_service_code": service_code,
    }


def _invoice(registration, organisation, purchase_order, service_code, *, today=None):
    payment = Payment.objects.filter(registration=registration).first()
    if payment is None:
        price = price_of(registration.occurrence, member=organisation.is_current_member)
        payment = _new_payment(
            registration, price, method=PaymentMethod.INVOICE, **_billing(organisation, purchase_order, service_code)
        )
    return Invoice.objects.filter(payment=payment).first() or issue_invoice(payment, today=today, notify=False)


def load(demo):
    training = TrainingPage.objects.filter(slug="clauses-sociales").first()
    if training is None:
        return
    now = timezone.now()
    runs = training.occurrences.order_by("start")
    upcoming = runs.filter(start__gt=now).first()
    past = runs.filter(end__lt=now).first()
    # Past run first: invoice numbers follow their issue dates.
    if past is not None:
        organisations = list(Organisation.objects.filter(Q(member_until__isnull=True)).order_by("name")[:2])
        for (first, last, purchase_order), organisation in zip(PAST, organisations, strict=False):
            email = f"{first}.{last}".lower().replace(" ", "-").replace("é", "e") + "@exemple-collectivite.fr"
            registration, _created = Registration.objects.get_or_create(
                occurrence=past,
                email=email,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "organisation": organisation,
                    "organisation_name": organisation.name,
                    "status": RegistrationStatus.CONFIRMED,
                    "confirmed_at": past.start,
                },
            )
            invoice = _invoice(
                registration, organisation, purchase_order, "", today=timezone.localtime(past.start).date()
            )
            if invoice.status == InvoiceStatus.ISSUED:
                mark_invoice_paid(invoice, paid_on=timezone.localtime(past.end).date())
    if upcoming is not None:
        for email, purchase_order, service_code, paid in UPCOMING:
            user = User.objects.filter(email=email).select_related("organisation").first()
            if user is None or user.organisation is None:
                continue
            registration = Registration.objects.active().filter(occurrence=upcoming, email__iexact=email).first()
            if registration is None:
                registration = register(upcoming, user=user)
            invoice = _invoice(registration, user.organisation, purchase_order, service_code)
            if paid and invoice.status == InvoiceStatus.ISSUED:
                mark_invoice_paid(invoice)
    demo.step("inscriptions payées sur facture (clauses sociales)")
