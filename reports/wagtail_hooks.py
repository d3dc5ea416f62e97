from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from base.staff import StaffMenuItem

from . import views


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("rapport/", views.report, name="reports_report"),
        path("rapport/export/<str:fmt>/", views.export, name="reports_export"),
        path("rapport/detail/<str:name>/", views.drilldown, name="reports_drilldown"),
    ]


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    return StaffMenuItem(_("Rapport d'activité"), reverse("reports_report"), icon_name="table", order=330)
