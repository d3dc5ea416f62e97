from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.widgets import Button

from accounts.organisation import OrganisationSection
from base.staff import StaffMenuItem, is_staff
from members.account import AccountSection
from registrations.models import Occurrence

from . import admin_urls, services

QR_EMAIL_KINDS = ("confirmed", "promoted")


@hooks.register("register_admin_urls")
def register_attendance_urls():
    return [path("presences/", include(admin_urls, namespace="attendance_admin"))]


@hooks.register("register_admin_menu_item")
def register_attendance_menu_item():
    return StaffMenuItem(
        gettext_lazy("Présences"), reverse("attendance_admin:index"), icon_name="clipboard-list", order=310
    )


@hooks.register("register_page_header_buttons")
def attendance_page_button(page, user, view_name, next_url=None):
    """« Présences » in the menu of any page that owns occurrences (event, training…)."""
    if is_staff(user) and Occurrence.objects.filter(page_id=page.pk).exists():
        url = reverse("attendance_admin:index") + f"?page={page.pk}"
        yield Button(_("Présences"), url, icon_name="clipboard-list", priority=85)


@hooks.register("registration_email")
def add_checkin_qr_code(registration, email, kind):
    """Confirmation e-mails carry the person's QR code: scanned at the door, it checks them in."""
    if kind not in QR_EMAIL_KINDS:
        return
    email.attach("code-qr-presence.png", services.qr_png(registration), "image/png")
    email.add_paragraph(
        _("Le jour venu, présentez le code QR joint (code-qr-presence.png) à l'accueil : il enregistre votre présence.")
    )


def _certificates_context(request):
    return {"registrations": list(services.certificate_registrations(request.user))}


@hooks.register("register_account_section")
def certificates_section():
    return AccountSection(
        key="attestations",
        title=gettext_lazy("Mes attestations"),
        order=40,
        template_name="attendance/account_section.html",
        get_context=_certificates_context,
        is_shown=lambda request: request.user.is_authenticated,
    )


@hooks.register("register_organisation_section")
def organisation_certificates_section():
    """Référents see their organisation's attendance certificates (« Mon organisation »)."""
    return OrganisationSection(
        key="attestations",
        title=gettext_lazy("Attestations de présence"),
        order=30,
        template_name="attendance/organisation_section.html",
        get_context=lambda request, organisation: {
            "registrations": list(services.certificate_registrations(organisation=organisation).select_related("user"))
        },
    )
