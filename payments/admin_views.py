"""Editors' actions on payments: mark an invoice paid, refund a card payment, see a run's payments."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from registrations.models import Occurrence
from trainings.models import TrainingPage

from .errors import PaymentError
from .invoicing import issue_credit_note, mark_invoice_paid
from .models import CreditNote, Invoice, Payment, PaymentStatus, Refund
from .refunds import request_refund, retry_refund


def _require(request, codename):
    if not request.user.has_perm(f"payments.{codename}"):
        raise PermissionDenied


@require_POST
def invoice_mark_paid(request, pk):
    _require(request, "change_invoice")
    invoice = get_object_or_404(Invoice, pk=pk)
    try:
        mark_invoice_paid(invoice, actor=request.user)
        messages.success(request, _("Facture %(number)s marquée payée.") % {"number": invoice.number})
    except PaymentError as error:
        messages.error(request, error.message)
    return redirect(request.POST.get("next") or reverse("payments_invoice:index"))


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Montant à rembourser (€ TTC)"),
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        localize=True,
        error_messages={"invalid": gettext_lazy("Saisissez un montant, par exemple 120,00.")},
    )
    reason = forms.CharField(label=gettext_lazy("Motif"), max_length=300)
    credit_note = forms.BooleanField(
        label=gettext_lazy("Émettre un avoir du même montant sur la facture"), required=False, initial=True
    )


def payment_refund(request, pk):
    _require(request, "change_payment")
    payment = get_object_or_404(Payment.objects.select_related("registration__occurrence__page"), pk=pk)
    remaining = payment.amount - payment.refunded_amount
    form = RefundForm(request.POST or None, initial={"amount": remaining})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    locked = Payment.objects.select_for_update().get(pk=payment.pk)
                    request_refund(
                        locked,
                        amount=form.cleaned_data["amount"],
                        reason=form.cleaned_data["reason"],
                        actor=request.user,
                    )
                    invoice = Invoice.objects.filter(payment=locked).first()
                    if form.cleaned_data["credit_note"] and invoice is not None:
                        issue_credit_note(
                            invoice, reason=form.cleaned_data["reason"], amount_ttc=form.cleaned_data["amount"]
                        )
            except (PaymentError, InvalidOperation) as error:
                form.add_error("amount", getattr(error, "message", _("Montant invalide.")))
                status = 400
            else:
                messages.success(request, _("Remboursement demandé à Stripe."))
                return redirect("payments_payment:index")
        else:
            status = 400
    return TemplateResponse(
        request,
        "payments/admin/refund.html",
        {"payment": payment, "form": form, "remaining": remaining, "page_title": _("Rembourser un paiement")},
        status=status,
    )


def run_payments(request, occurrence_id):
    """Payments, invoices and credit notes of one training run, with totals."""
    _require(request, "view_payment")
    occurrence = get_object_or_404(Occurrence.objects.select_related("page"), pk=occurrence_id)
    payments = list(
        Payment.objects.filter(registration__occurrence=occurrence)
        .select_related("registration", "invoice")
        .order_by("created_at", "pk")
    )
    credit_notes = CreditNote.objects.filter(invoice__payment__registration__occurrence=occurrence).select_related(
        "invoice"
    )
    totals = Payment.objects.filter(
        registration__occurrence=occurrence,
        status__in=[PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED],
    ).aggregate(received=Sum("amount"), refunded=Sum("refunded_amount"))
    return TemplateResponse(
        request,
        "payments/admin/run_payments.html",
        {
            "occurrence": occurrence,
            "payments": payments,
            "credit_notes": credit_notes,
            "totals": totals,
            "page_title": _("Paiements de la session"),
        },
    )


def refund_retry(request, pk):
    """Send a failed refund to Stripe again (GET asks for confirmation, POST sends)."""
    _require(request, "change_payment")
    refund = get_object_or_404(Refund.objects.select_related("payment__registration"), pk=pk)
    if request.method == "POST":
        try:
            retry_refund(refund)
            messages.success(request, _("Remboursement renvoyé à Stripe."))
        except PaymentError as error:
            messages.error(request, error.message)
        return redirect("payments_refund:index")
    return TemplateResponse(
        request, "payments/admin/refund_retry.html", {"refund": refund, "page_title": _("Relancer un remboursement")}
    )


def training_payments(request, page_id):
    """A training's runs with their payment totals, each linking to its payments."""

    _require(request, "view_payment")
    training = get_object_or_404(TrainingPage, pk=page_id)
    settled = [PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED]
    runs = (
        Occurrence.objects.filter(page_id=training.pk)
        .annotate(
            payment_count=Count("registrations__payments"),
            received=Sum("registrations__payments__amount", filter=Q(registrations__payments__status__in=settled)),
            pending=Sum(
                "registrations__payments__amount", filter=Q(registrations__payments__status=PaymentStatus.PENDING)
            ),
        )
        .order_by("start")
    )
    return TemplateResponse(
        request,
        "payments/admin/training_payments.html",
        {"training": training, "runs": runs, "page_title": _("Paiements : %(title)s") % {"title": training.title}},
    )
