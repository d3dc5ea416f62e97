"""What the staff-only admin screens of attendance, timesheets and reports share."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail.admin.menu import MenuItem


def is_staff(user):
    return user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser)


def require_staff(request):
    if not is_staff(request.user):
        raise PermissionDenied(_("Réservé à l'équipe du réseau."))


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff(request.user)


def admin_context(request, title, *, parents=(), **context):
    """What the admin templates need: title and breadcrumbs (Wagtail's slim header)."""
    breadcrumbs = [{"url": reverse("wagtailadmin_home"), "label": _("Tableau de bord")}]
    breadcrumbs += [{"url": url, "label": label} for label, url in parents]
    breadcrumbs.append({"url": "", "label": title})
    return {"header_title": title, "page_title": title, "breadcrumbs_items": breadcrumbs, **context}
