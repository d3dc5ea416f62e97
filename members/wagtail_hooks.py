from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem as AdminMenuItem
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy

from base.staff import AdministratorPermissionPolicy, admin_context

from . import claim_admin
from .account import AccountSection
from .models import Label, Organisation, Supplier, User
from .permissions import may_change_person, people_policy, staff_account_refusal
from .services import sync_groups
from .suppliers import approved_company, may_claim, open_claim

# Wagtail's own « Utilisateurs » and « Groupes » (and every admin check on these models) are for
# administrators only; registered here, after wagtail.users registered its default policy.
register_permission_policy(User, AdministratorPermissionPolicy(User))
register_permission_policy(Group, AdministratorPermissionPolicy(Group))


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations membres")
    url_prefix = "reseau/organisations"
    form_fields = ["name", "kind", "siren", "region", "city", "member_since", "member_until", "active"]
    list_display = ["name", "kind", "region", "member_since", "member_until", "active"]
    list_filter = ["kind", "region", "active"]
    list_export = ["name", "kind", "siren", "region", "city", "member_since", "member_until", "active"]
    export_filename = "organisations-membres"
    search_fields = ["name", "siren", "city"]
    search_backend_name = None
    inspect_view_enabled = True


class SyncGroupsMixin:
    """Saving a person from the admin keeps their privacy groups in step with their links."""

    def save_instance(self):
        instance = super().save_instance()
        sync_groups(instance)
        return instance


class PeoplePolicyMixin:
    """« Personnes » answers to the people policy, not to the administrators-only one of the User
    model (Wagtail's views look the policy up by model)."""

    permission_policy = people_policy


class StaffAccountGuardMixin(PeoplePolicyMixin):
    """An editor who opens a staff account (to change its e-mail, say) gets a French refusal."""

    def dispatch(self, request, *args, **kwargs):
        if not people_policy.user_has_permission(request.user, self.permission_required):
            raise PermissionDenied
        if not may_change_person(request.user, self.get_object()):
            title = _("Modification réservée aux administrateurs")
            context = admin_context(
                request, title, message=staff_account_refusal(), back_url=reverse(self.index_url_name)
            )
            return TemplateResponse(request, "members/admin/refused.html", context, status=403)
        return super().dispatch(request, *args, **kwargs)


class PersonCreateView(PeoplePolicyMixin, SyncGroupsMixin, CreateView):
    pass


def personal_data_url(person):
    """The personal-data admin page (export, erasure) of the person."""
    return reverse("personaldata_admin:person", args=[person.pk])


class PersonEditView(StaffAccountGuardMixin, SyncGroupsMixin, EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if url := personal_data_url(self.object):
            buttons.append(
                Button(_("Données personnelles (exporter, effacer)"), url=url, icon_name="download", priority=30)
            )
        return buttons


class PersonDeleteView(StaffAccountGuardMixin, DeleteView):
    pass


class PersonHistoryView(PeoplePolicyMixin, HistoryView):
    pass


class PersonUsageView(PeoplePolicyMixin, UsageView):
    pass


class PersonIndexView(PeoplePolicyMixin, IndexView):
    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if url := personal_data_url(instance):
            buttons.append(MenuItem(_("Données personnelles"), url=url, icon_name="download", priority=40))
        return buttons


class PersonViewSet(ModelViewSet):
    """People as the network knows them. No password, staff flag, group or permission here: those
    stay in Wagtail's « Utilisateurs », for administrators only."""

    model = User
    icon = "user"
    menu_label = _("Personnes")
    url_prefix = "reseau/personnes"
    form_fields = ["first_name", "last_name", "email", "organisation", "supplier", "job_title", "phone", "is_active"]
    list_display = ["__str__", "email", "organisation", "supplier", "job_title"]
    list_filter = ["organisation__region", "organisation__kind", "is_active", "is_staff"]
    list_export = ["last_name", "first_name", "email", "organisation", "supplier", "job_title", "phone", "is_active"]
    export_filename = "personnes"
    search_fields = ["first_name", "last_name", "email", "organisation__name", "supplier__name"]
    search_backend_name = None
    copy_view_enabled = False
    index_view_class = PersonIndexView
    add_view_class = PersonCreateView
    edit_view_class = PersonEditView
    delete_view_class = PersonDeleteView
    history_view_class = PersonHistoryView
    usage_view_class = PersonUsageView

    def get_queryset(self, request):
        return User.objects.select_related("organisation", "supplier")

    @property
    def menu_item_class(self):
        class PeopleMenuItem(AdminMenuItem):
            def is_shown(self, request):
                return people_policy.user_has_any_permission(request.user, ["add", "change", "view"])

        return PeopleMenuItem


class SupplierViewSet(ModelViewSet):
    model = Supplier
    icon = "doc-full-inverse"
    menu_label = _("Fournisseurs")
    url_prefix = "reseau/fournisseurs"
    form_fields = ["name", "siret", "size", "sectors", "labels", "website", "city", "description"]
    list_display = ["name", "siret", "size", "city"]
    list_filter = ["size", "sectors", "labels"]
    list_export = ["name", "siret", "size", "city", "website"]
    export_filename = "fournisseurs"
    search_fields = ["name", "siret", "city"]
    search_backend_name = None
    inspect_view_enabled = True


class LabelViewSet(ModelViewSet):
    model = Label
    icon = "tag"
    menu_label = _("Labels")
    url_prefix = "reseau/labels"
    form_fields = ["name"]
    list_display = ["name"]
    search_fields = ["name"]
    search_backend_name = None


class NetworkViewSetGroup(ViewSetGroup):
    menu_label = _("Réseau")
    menu_icon = "group"
    menu_order = 200
    items = (OrganisationViewSet, PersonViewSet, SupplierViewSet, claim_admin.ClaimViewSet, LabelViewSet)


@hooks.register("register_admin_viewset")
def register_network_viewsets():
    return NetworkViewSetGroup()


@hooks.register("after_edit_user")
@hooks.register("after_create_user")
def keep_groups_in_step(request, user):
    sync_groups(user)


@hooks.register("register_admin_urls")
def supplier_claim_urls():
    return claim_admin.urlpatterns


def _my_company(request):
    company = approved_company(request.user)
    return {"company": company, "claim": None if company else open_claim(request.user)}


@hooks.register("register_account_section")
def my_company():
    return AccountSection(
        key="entreprise",
        title=_("Mon entreprise"),
        order=5,
        template_name="members/company_section.html",
        get_context=_my_company,
        is_shown=lambda request: may_claim(request.user),
    )
