from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.permissions import register_permission_policy

from base.staff import StaffMenuItem, StaffPermissionPolicy

from . import views
from .models import TimeEntry

register_permission_policy(TimeEntry, StaffPermissionPolicy(TimeEntry))
time_entries = views.TimeEntryViewSet("time_entries")


@hooks.register("register_admin_viewset")
def register_time_entries():
    return time_entries


@hooks.register("register_admin_urls")
def register_timesheet_urls():
    return [
        path("temps/semaine/", views.week, name="timesheets_week"),
        path("temps/synthese/", views.summary, name="timesheets_summary"),
    ]


@hooks.register("register_admin_menu_item")
def register_timesheets_menu():
    menu = Menu(
        items=[
            StaffMenuItem(_("Saisir du temps"), reverse("time_entries:add"), icon_name="plus", order=10),
            StaffMenuItem(_("Mes saisies"), reverse("time_entries:index"), icon_name="list-ul", order=20),
            StaffMenuItem(_("Ma semaine"), reverse("timesheets_week"), icon_name="date", order=30),
            StaffMenuItem(_("Synthèse par personne"), reverse("timesheets_summary"), icon_name="table", order=40),
        ]
    )
    return SubmenuMenuItem(_("Temps passé"), menu, icon_name="time", order=320)
