from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from accounts.organisation import OrganisationSection
from members.account import AccountSection
from registrations.models.registrations import ACTIVE_STATUSES
from trainings.models import OCCURRENCE_KIND, TrainingPage

from . import admin_views, cancellation
from .models import (
    CreditNote,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundStatus,
    StripeEvent,
)
from .pricing import payment_due


class ServiceOnlyPolicy(ModelPermissionPolicy):
    """Rows created and changed only through the services (numbering, Stripe): the admin lists,
    inspects and exports them, never adds or deletes (nor edits ``frozen`` models)."""

    def __init__(self, model, *, frozen=False):
        super().__init__(model)
        self.denied = {"add", "delete", "copy"} | ({"change"} if frozen else set())

    def user_has_permission(self, user, action):
        return action not in self.denied and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return action not in self.denied and super().user_has_permission_for_instance(user, action, instance)


register_permission_policy(Payment, ServiceOnlyPolicy(Payment))
for _model in (Invoice, CreditNote, StripeEvent, Refund):
    register_permission_policy(_model, ServiceOnlyPolicy(_model, frozen=True))


class PaymentIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(
                _("Paiements de la session"),
                url=reverse("payments_admin_run", kwargs={"occurrence_id": instance.registration.occurrence_id}),
                icon_name="list-ul",
                priority=30,
            )
        )
        if instance.method == PaymentMethod.CARD and instance.status in (
            PaymentStatus.PAID,
            PaymentStatus.PARTIALLY_REFUNDED,
        ):
            buttons.append(
                MenuItem(
                    _("Rembourser"),
                    url=reverse("payments_admin_refund", kwargs={"pk": instance.pk}),
                    icon_name="resubmit",
                    priority=40,
                )
            )
        return buttons


class PaymentViewSet(ModelViewSet):
    name = "payments_payment"
    model = Payment
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Paiements")
    url_prefix = "paiements/paiements"
    index_view_class = PaymentIndexView
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["note"]
    list_display = ["registration", "method", "status", "amount", "created_at", "paid_at", "note"]
    list_filter = ["status", "method", "price_category", "registration__occurrence"]
    list_export = [
        "pk",
        "registration.occurrence",
        "registration.first_name",
        "registration.last_name",
        "registration.email",
        "method",
        "status",
        "price_category",
        "amount_ht",
        "vat_amount",
        "amount",
        "refunded_amount",
        "billing_entity",
        "billing_siret",
        "purchase_order",
        "chorus_service_code",
        "stripe_session_id",
        "created_at",
        "paid_at",
    ]
    export_filename = "paiements"
    search_fields = [
        "registration__last_name",
        "registration__email",
        "billing_entity",
        "purchase_order",
        "stripe_session_id",
    ]
    search_backend_name = None

    def get_queryset(self, request):
        return Payment.objects.select_related("registration__occurrence__page")


class InvoiceIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(
                _("Télécharger le PDF"),
                url=reverse("payments:invoice_pdf", kwargs={"number": instance.number}),
                icon_name="download",
                priority=5,
            )
        )
        buttons.append(
            MenuItem(
                _("Paiements de la session"),
                url=reverse(
                    "payments_admin_run", kwargs={"occurrence_id": instance.payment.registration.occurrence_id}
                ),
                icon_name="list-ul",
                priority=30,
            )
        )
        return buttons


class InvoiceViewSet(ModelViewSet):
    name = "payments_invoice"
    model = Invoice
    icon = "doc-full"
    menu_label = gettext_lazy("Factures")
    url_prefix = "paiements/factures"
    index_view_class = InvoiceIndexView
    copy_view_enabled = False
    form_fields = ["number"]
    inspect_view_enabled = True
    list_display = ["number", "buyer_name", "issued_on", "due_on", "amount_ttc", "status", "paid_on"]
    list_filter = ["status", "issued_on"]
    list_export = [
        "number",
        "issued_on",
        "due_on",
        "buyer_name",
        "buyer_siret",
        "purchase_order",
        "chorus_service_code",
        "description",
        "amount_ht",
        "vat_rate",
        "vat_amount",
        "amount_ttc",
        "status",
        "paid_on",
    ]
    export_filename = "factures"
    search_fields = ["number", "buyer_name", "buyer_siret", "purchase_order"]
    search_backend_name = None

    def get_queryset(self, request):
        return Invoice.objects.select_related("payment__registration")


class CreditNoteViewSet(ModelViewSet):
    name = "payments_creditnote"
    model = CreditNote
    icon = "doc-empty-inverse"
    menu_label = gettext_lazy("Avoirs")
    url_prefix = "paiements/avoirs"
    copy_view_enabled = False
    form_fields = ["number"]
    inspect_view_enabled = True
    list_display = ["number", "invoice", "buyer_name", "issued_on", "amount_ttc", "reason"]
    list_export = [
        "number",
        "invoice.number",
        "issued_on",
        "buyer_name",
        "buyer_siret",
        "amount_ht",
        "vat_amount",
        "amount_ttc",
        "reason",
    ]
    export_filename = "avoirs"
    search_fields = ["number", "buyer_name", "invoice__number"]
    search_backend_name = None


class StripeEventViewSet(ModelViewSet):
    name = "payments_stripeevent"
    model = StripeEvent
    icon = "code"
    menu_label = gettext_lazy("Événements Stripe")
    url_prefix = "paiements/evenements-stripe"
    copy_view_enabled = False
    form_fields = ["note"]
    inspect_view_enabled = True
    list_display = ["event_id", "type", "received_at", "handled", "note"]
    list_filter = ["type", "handled"]
    search_fields = ["event_id", "type"]
    search_backend_name = None


class RefundIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == RefundStatus.FAILED:
            url = reverse("payments_admin_refund_retry", kwargs={"pk": instance.pk})
            buttons.append(MenuItem(_("Relancer"), url=url, icon_name="rotate", priority=10))
        return buttons


class RefundViewSet(ModelViewSet):
    name = "payments_refund"
    model = Refund
    icon = "resubmit"
    menu_label = gettext_lazy("Remboursements")
    url_prefix = "paiements/remboursements"
    index_view_class = RefundIndexView
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["note"]
    list_display = ["payment", "amount", "status", "reason", "created_at", "note"]
    list_filter = ["status"]
    list_export = [
        "payment.pk",
        "payment.registration.email",
        "amount",
        "status",
        "reason",
        "stripe_refund_id",
        "created_at",
    ]
    export_filename = "remboursements"
    search_fields = ["payment__registration__last_name", "stripe_refund_id"]
    search_backend_name = None


class PaymentsGroup(ViewSetGroup):
    menu_label = gettext_lazy("Paiements")
    menu_icon = "doc-full-inverse"
    menu_order = 320
    items = (PaymentViewSet, InvoiceViewSet, CreditNoteViewSet, RefundViewSet, StripeEventViewSet)


@hooks.register("register_admin_viewset")
def register_payments_viewsets():
    return PaymentsGroup()


@hooks.register("register_admin_urls")
def register_payments_admin_urls():
    return [
        path("paiements/factures/<int:pk>/payee/", admin_views.invoice_mark_paid, name="payments_admin_invoice_paid"),
        path("paiements/paiements/<int:pk>/rembourser/", admin_views.payment_refund, name="payments_admin_refund"),
        path("paiements/session/<int:occurrence_id>/", admin_views.run_payments, name="payments_admin_run"),
        path("paiements/formation/<int:page_id>/", admin_views.training_payments, name="payments_admin_training"),
        path(
            "paiements/remboursements/<int:pk>/relancer/", admin_views.refund_retry, name="payments_admin_refund_retry"
        ),
    ]


def _training_payments_button(page, user, priority):
    if isinstance(page.specific_deferred, TrainingPage) and user.has_perm("payments.view_payment"):
        yield Button(
            gettext_lazy("Paiements et factures"),
            reverse("payments_admin_training", args=[page.pk]),
            icon_name="doc-full",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def training_payments_header_button(page, user, view_name=None, next_url=None):
    yield from _training_payments_button(page, user, 46)


@hooks.register("register_page_listing_more_buttons")
def training_payments_listing_button(page, user, next_url=None):
    yield from _training_payments_button(page, user, 46)


@hooks.register("before_register")
def send_paid_trainings_to_payment(request, occurrence):
    """The generic register view sends paid training runs to the payment flow."""
    if payment_due(occurrence, request.user) is None:
        return None
    return redirect("payments:start", occurrence_id=occurrence.pk)


@hooks.register("registration_payment_due")
def paid_training_runs(occurrence, user):
    """The engine asks before an editor adds someone: is a payment due?"""
    return payment_due(occurrence, user) is not None


@hooks.register("registration_email")
def add_payment_receipt(registration, email, kind):
    """Confirmation e-mails of paid registrations say what was paid and where the invoice is."""
    if kind not in ("confirmed", "promoted") or registration.occurrence.kind != OCCURRENCE_KIND:
        return  # only training runs are paid for: no query for every other confirmation
    payment = (
        Payment.objects.filter(registration=registration)
        .exclude(status=PaymentStatus.CANCELLED)
        .select_related("invoice")
        .order_by("-pk")
        .first()
    )
    if payment is None:
        return
    if payment.status == PaymentStatus.PAID and payment.method == PaymentMethod.CARD:
        email.add_paragraph(
            _("Paiement reçu : %(amount)s € TTC par carte bancaire.")
            % {"amount": f"{payment.amount:.2f}".replace(".", ",")}
        )
    invoice = getattr(payment, "invoice", None)
    if invoice is not None:
        email.add_paragraph(
            _("Votre facture %(number)s est disponible dans votre compte, rubrique « Mes factures ».")
            % {"number": invoice.number}
        )


def _documents(**owner):
    """Invoices and credit notes of the registrations matching ``owner`` (user= or organisation=)."""
    invoices = list(
        Invoice.objects.filter(**{f"payment__registration__{k}": v for k, v in owner.items()})
        .select_related("payment__registration__occurrence__page")
        .order_by("-issued_on", "-number")
    )
    credit_notes = list(
        CreditNote.objects.filter(**{f"invoice__payment__registration__{k}": v for k, v in owner.items()})
        .select_related("invoice")
        .order_by("-issued_on", "-number")
    )
    # A refund that failed or is on its way is said here: the person otherwise waits in silence.
    refunds = list(
        Refund.objects.filter(**{f"payment__registration__{k}": v for k, v in owner.items()})
        .exclude(status=RefundStatus.SUCCEEDED)
        .select_related("payment__registration__occurrence__page")
    )
    return {"invoices": invoices, "credit_notes": credit_notes, "refunds": refunds, "InvoiceStatus": InvoiceStatus}


def _my_documents(request):
    return _documents(user=request.user)


@hooks.register("register_account_section")
def my_invoices():
    return AccountSection(
        key="factures",
        title=_("Mes factures"),
        order=40,
        template_name="payments/account_section.html",
        get_context=_my_documents,
        is_shown=lambda request: request.user.is_authenticated,
    )


class PaymentsAttentionPanel(Component):
    """The admin's home page: failed refunds and payments Stripe took short, so none is missed."""

    name = "payments_attention"
    template_name = "payments/admin/attention_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["failed_refunds"] = list(
            Refund.objects.filter(status=RefundStatus.FAILED).select_related("payment__registration")[:20]
        )
        context["to_review"] = list(
            Payment.objects.filter(status=PaymentStatus.REVIEW).select_related("registration__occurrence__page")[:20]
        )
        return context


@hooks.register("construct_homepage_panels")
def payments_attention_panel(request, panels):
    if request.user.has_perm("payments.view_refund"):
        panels.append(PaymentsAttentionPanel())


@hooks.register("registrations_refunds_for_occurrences")
def refunds_for_occurrences(occurrence_ids):
    """How many active registrations of these dates have paid and would be refunded if the dates
    were cancelled (the editor's confirmation screen before publishing)."""

    return (
        Payment.objects.filter(
            registration__occurrence_id__in=occurrence_ids,
            registration__status__in=ACTIVE_STATUSES,
            status=PaymentStatus.PAID,
        )
        .values("registration_id")
        .distinct()
        .count()
    )


@hooks.register("register_organisation_section")
def organisation_invoices():
    """Référents see their organisation's invoices and credit notes (« Mon organisation »)."""
    return OrganisationSection(
        key="factures",
        title=_("Factures et avoirs"),
        order=40,
        template_name="payments/account_section.html",
        get_context=lambda request, organisation: _documents(organisation=organisation),
    )


@hooks.register("registration_cancellation_notice")
def paid_cancellation_notice(registration):
    """Before someone confirms a cancellation: the late-cancellation rule, the refund or the
    credit note it leads to."""
    return cancellation.consequences(registration)
