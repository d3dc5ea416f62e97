"""The staff permission policy: who belongs to the network's staff, and the admin screens only
they see (attendance, timesheets, reports, helpdesk, search log). One definition for the whole
site; no view tests ``user.is_staff`` itself. Administrators (superusers) alone hold the keys:
staff accounts, groups and permissions."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.base import BasePermissionPolicy


def is_staff_account(user):
    """The account belongs to the staff (or an administrator), whether or not it is signed in:
    such accounts are never erased and take part in every audience."""
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))


def is_staff(user):
    """The person acting now is staff: signed in, active, a staff account."""
    return user.is_authenticated and user.is_active and is_staff_account(user)


def require_staff(request):
    if not is_staff(request.user):
        raise PermissionDenied(_("Réservé à l'équipe du réseau."))


def staff_users():
    """Active staff accounts (those who log their time)."""
    return get_user_model().objects.filter(is_active=True, is_staff=True)


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff(request.user)


class StaffPermissionPolicy(BasePermissionPolicy):
    """Every member of the staff may do everything with the model (no model permission to grant)."""

    def user_has_permission(self, user, action):
        return is_staff(user)

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def users_with_any_permission(self, actions):
        return staff_users()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


class AdministratorPermissionPolicy(BasePermissionPolicy):
    """Only administrators (active superusers) may do anything with the model: staff accounts,
    groups and permissions are the keys to the site, never an editor's."""

    def user_has_permission(self, user, action):
        return is_staff(user) and user.is_superuser

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True, is_superuser=True)

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


def admin_context(request, title, *, parents=(), **context):
    """What the admin templates need: title and breadcrumbs (Wagtail's slim header)."""
    breadcrumbs = [{"url": reverse("wagtailadmin_home"), "label": _("Tableau de bord")}]
    breadcrumbs += [{"url": url, "label": label} for label, url in parents]
    breadcrumbs.append({"url": "", "label": title})
    return {"header_title": title, "page_title": title, "breadcrumbs_items": breadcrumbs, **context}
