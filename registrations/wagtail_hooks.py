from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from members.account import AccountSection

from . import admin_views, date_admin, review_admin
from .account import account_context
from .occurrences import is_owner

admin_urlpatterns = [
    path("", admin_views.occurrence_index, name="index"),
    path("<int:pk>/", admin_views.occurrence_detail, name="occurrence"),
    path("<int:pk>/candidatures/", admin_views.applications, name="applications"),
    path("<int:pk>/historique/", admin_views.history, name="history"),
    path("<int:pk>/ajouter/", admin_views.add, name="add"),
    path("<int:pk>/ecrire/", admin_views.message, name="message"),
    path("inscription/<int:pk>/<slug:action>/", admin_views.act, name="act"),
    path("candidature/<int:pk>/entreprise/", review_admin.review_company, name="review_company"),
]


@hooks.register("register_admin_urls")
def registrations_admin_urls():
    return [path("inscriptions/", include((admin_urlpatterns, "registrations_admin"), namespace="registrations_admin"))]


@hooks.register("register_admin_urls")
def dates_admin_urls():
    return [path("dates/", include((date_admin.urlpatterns, "dates_admin"), namespace="dates_admin"))]


def _dates_button(page, user, priority):
    if is_owner(page.specific_class) and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Dates (annuler, déplacer, inscrits)"),
            reverse("dates_admin:dates", args=[page.pk]),
            icon_name="date",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def dates_header_button(page, user, view_name=None, next_url=None):
    yield from _dates_button(page, user, 45)


@hooks.register("register_page_listing_more_buttons")
def dates_listing_button(page, user, next_url=None):
    yield from _dates_button(page, user, 45)


@hooks.register("before_edit_page")
def confirm_schedule_changes(request, page):
    return date_admin.confirm_before_publishing(request, page)


@hooks.register("before_publish_page")
def remember_schedule_reason(request, page):
    date_admin.remember_reason(request, page)


class RegistrationsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_manage(request.user)


@hooks.register("register_admin_menu_item")
def registrations_menu_item():
    return RegistrationsMenuItem(
        _("Inscriptions"), reverse("registrations_admin:index"), icon_name="list-ul", order=250
    )


@hooks.register("register_account_section")
def my_registrations():
    return AccountSection(
        key="inscriptions",
        title=_("Mes inscriptions"),
        order=10,
        template_name="registrations/account_section.html",
        get_context=account_context,
    )
