from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from base.staff import StaffMenuItem, StaffPermissionPolicy
from members.account import AccountSection

from . import admin_urls
from .models import Referent
from .services import referent_organisation_ids

register_permission_policy(Referent, StaffPermissionPolicy(Referent))


class ReferentViewSet(ModelViewSet):
    """Editors name an organisation's référents (a person of that organisation)."""

    model = Referent
    icon = "user"
    menu_label = _("Référents")
    url_prefix = "reseau/referents"
    form_fields = ["organisation", "user"]
    list_display = ["user", "organisation", "created_at"]
    search_fields = ["user__email", "user__last_name", "organisation__name"]
    search_backend_name = None
    add_to_admin_menu = False
    copy_view_enabled = False


referents = ReferentViewSet("referents")


@hooks.register("register_admin_viewset")
def register_referents():
    return referents


@hooks.register("register_admin_urls")
def register_accounts_admin_urls():
    return [path("reseau/demandes-de-compte/", include((admin_urls, "accounts_admin"), namespace="accounts_admin"))]


def _account_menu_items():
    return [
        StaffMenuItem(
            _("Demandes de compte"),
            reverse("accounts_admin:requests"),
            name="demandes-de-compte",
            icon_name="mail",
            order=250,
        ),
        StaffMenuItem(_("Inviter"), reverse("accounts_admin:invite"), name="inviter", icon_name="plus", order=260),
        StaffMenuItem(
            _("Inviter (CSV)"), reverse("accounts_admin:import"), name="inviter-csv", icon_name="download", order=270
        ),
        StaffMenuItem(_("Référents"), reverse("referents:index"), name="referents", icon_name="user", order=280),
    ]


@hooks.register("construct_main_menu")
def add_accounts_to_network_menu(request, menu_items):
    """« Réseau › Demandes de compte … »: the members app owns « Réseau » and cannot import this
    app (it sits below it), so the items join its submenu here, rebuilt for each request."""
    extra = [item for item in _account_menu_items() if item.is_shown(request)]
    for index, item in enumerate(menu_items):
        if item.name == "reseau" and isinstance(item, SubmenuMenuItem):
            menu = Menu(items=[*item.menu.registered_menu_items, *extra])
            menu_items[index] = SubmenuMenuItem(
                item.label, menu, name=item.name, icon_name=item.icon_name, order=item.order
            )
            return
    menu_items.extend(extra)


@hooks.register("register_account_section")
def my_organisation():
    return AccountSection(
        key="mon-organisation",
        title=_("Mon organisation (référent)"),
        order=5,
        template_name="accounts/account_section.html",
        is_shown=lambda request: request.user.organisation_id in referent_organisation_ids(request),
    )
