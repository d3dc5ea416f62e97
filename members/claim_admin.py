"""Editors' review of supplier claims: the list (flagged when the contact's address is not on the
company's website domain) and the decision screen. Claims change only through the services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import suppliers
from .forms import ClaimDecisionForm
from .models import SupplierClaim


def may_review(user):
    """Whoever manages suppliers' records reviews the claims on them."""
    return user.is_active and user.has_perm("members.change_supplier")


class ReviewOnlyPolicy(ModelPermissionPolicy):
    """Listed and inspected by who manages suppliers; never added, edited or deleted by hand."""

    def user_has_permission(self, user, action):
        return action in ("view", "inspect") and may_review(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


register_permission_policy(SupplierClaim, ReviewOnlyPolicy(SupplierClaim))


class ClaimIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        url = reverse("members_claim_decide", args=[instance.pk])
        buttons.append(MenuItem(_("Examiner et décider"), url=url, icon_name="tick", priority=5))
        return buttons


class ClaimViewSet(ModelViewSet):
    name = "members_supplierclaim"
    model = SupplierClaim
    icon = "key"
    menu_label = gettext_lazy("Demandes des entreprises")
    url_prefix = "reseau/revendications"
    index_view_class = ClaimIndexView
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["decision_message"]
    list_display = ["supplier", "user", "email", "domain_matches", "status", "created_at"]
    list_filter = ["status", "domain_matches"]
    search_fields = ["supplier__name", "supplier__siret", "email"]
    search_backend_name = None

    def get_queryset(self, request):
        return SupplierClaim.objects.select_related("supplier", "user")


def decide(request, pk):
    if not may_review(request.user):
        raise PermissionDenied
    claim = get_object_or_404(SupplierClaim.objects.select_related("supplier", "user"), pk=pk)
    form = ClaimDecisionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                suppliers.decide_claim(
                    claim,
                    approve=form.cleaned_data["decision"] == "approve",
                    actor=request.user,
                    message=form.cleaned_data["message"],
                )
            except suppliers.SupplierError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Décision enregistrée ; la personne en est informée par e-mail."))
                return redirect("members_supplierclaim:index")
        status = 400
    else:
        status = 200
    context = {"claim": claim, "form": form, "domain": suppliers.website_domain(claim.supplier.website)}
    return TemplateResponse(request, "members/admin/claim_decide.html", context, status=status)


urlpatterns = [path("reseau/revendications/<int:pk>/decider/", decide, name="members_claim_decide")]
