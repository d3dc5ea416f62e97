from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from members.account import AccountSection

from . import admin_views
from .account import account_context

admin_urlpatterns = [
    path("", admin_views.occurrence_index, name="index"),
    path("<int:pk>/", admin_views.occurrence_detail, name="occurrence"),
    path("<int:pk>/candidatures/", admin_views.applications, name="applications"),
    path("<int:pk>/historique/", admin_views.history, name="history"),
    path("<int:pk>/ajouter/", admin_views.add, name="add"),
    path("<int:pk>/ecrire/", admin_views.message, name="message"),
    path("inscription/<int:pk>/<slug:action>/", admin_views.act, name="act"),
]


@hooks.register("register_admin_urls")
def registrations_admin_urls():
    return [path("inscriptions/", include((admin_urlpatterns, "registrations_admin"), namespace="registrations_admin"))]


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
