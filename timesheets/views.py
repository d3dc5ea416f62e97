"""Staff time in the admin: the entry form (a ModelViewSet), a weekly view, a per-person summary."""

import datetime

from django.db.models import Sum
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from base.french_dates import safe_date
from base.periods import PeriodError, parse_period, year_period
from base.staff import admin_context, require_staff, staff_users

from .forms import TimeEntryForm
from .models import Activity, TimeEntry, week_bounds


class TimeEntryCreateView(CreateView):
    def get_initial_form_instance(self):
        return TimeEntry(person=self.request.user, date=timezone.localdate())


class TimeEntryEditView(EditView):
    pass


class TimeEntryIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("person", "page")


class TimeEntryViewSet(ModelViewSet):
    model = TimeEntry
    icon = "time"
    menu_label = gettext_lazy("Saisies")
    add_to_admin_menu = False
    url_prefix = "temps/saisies"
    edit_handler = ObjectList([FieldPanel(name) for name in TimeEntryForm._meta.fields], base_form_class=TimeEntryForm)
    list_display = ["date", "person", "activity", "page", "hours", "note"]
    list_filter = ["activity", "person", "date"]
    list_export = ["date", "person", "activity", "page", "hours", "note"]
    export_filename = "temps-passe"
    search_fields = ["note", "person__last_name", "page__title"]
    search_backend_name = None
    copy_view_enabled = True
    index_view_class = TimeEntryIndexView
    add_view_class = TimeEntryCreateView
    edit_view_class = TimeEntryEditView


def _person(request):
    raw = request.GET.get("personne", "")
    if raw.isdigit():
        person = staff_users().filter(pk=int(raw)).first()
        if person is not None:
            return person
    return request.user


def week(request):
    """One person's week: entries per day, totals per day and per activity."""
    require_staff(request)
    raw = request.GET.get("semaine", "")
    day = safe_date(raw)
    error = None
    if raw and day is None:
        error = _("« %(value)s » n'est pas une date valide (AAAA-MM-JJ).") % {"value": raw[:20]}
    monday, sunday = week_bounds(day or timezone.localdate())
    person = _person(request)
    entries = TimeEntry.objects.for_person(person).between(monday, sunday)
    per_day = dict(entries.values_list("date").annotate(total=Sum("hours")).order_by())
    days = [
        {
            "date": monday + datetime.timedelta(days=i),
            "entries": [],
            "total": per_day.get(monday + datetime.timedelta(days=i), 0),
        }
        for i in range(7)
    ]
    for entry in entries.select_related("page").order_by("date", "pk"):
        days[(entry.date - monday).days]["entries"].append(entry)
    by_activity = _labelled(entries.hours_by_activity())
    context = admin_context(
        request,
        _("Semaine du %(day)s") % {"day": f"{monday:%d/%m/%Y}"},
        parents=[(_("Temps passé"), "")],
        person=person,
        staff=staff_users().order_by("last_name", "first_name"),
        monday=monday,
        days=days,
        by_activity=by_activity,
        total=sum((d["total"] for d in days), 0),
        previous_week=monday - datetime.timedelta(days=7),
        next_week=monday + datetime.timedelta(days=7),
        error=error,
    )
    return TemplateResponse(request, "timesheets/week.html", context, status=400 if error else 200)


def _labelled(rows):
    labels = dict(Activity.choices)
    return [{**row, "label": labels.get(row["activity"], row["activity"])} for row in rows]


def summary(request):
    """Hours per person, and per person and activity, over a period (SQL aggregates)."""
    require_staff(request)
    error = None
    if "from" in request.GET or "to" in request.GET:
        try:
            period = parse_period(request.GET.get("from"), request.GET.get("to"))
        except PeriodError as exc:
            error, period = exc.message, year_period(timezone.localdate().year)
    else:
        period = year_period(timezone.localdate().year)
    entries = TimeEntry.objects.between(period.start, period.end)
    people = list(entries.hours_by_person())
    pivot = {}
    for row in entries.values("person", "activity").annotate(hours=Sum("hours")).order_by():
        pivot.setdefault(row["person"], {})[row["activity"]] = row["hours"]
    activities = Activity.choices
    for person in people:
        person["cells"] = [pivot.get(person["person"], {}).get(key, 0) for key, _label in activities]
    totals = dict(entries.values_list("activity").annotate(hours=Sum("hours")).order_by())
    context = admin_context(
        request,
        _("Synthèse du temps passé"),
        parents=[(_("Temps passé"), "")],
        period=period,
        people=people,
        activities=activities,
        totals=[totals.get(key, 0) for key, _label in activities],
        grand_total=sum(totals.values(), 0),
        error=error,
    )
    return TemplateResponse(request, "timesheets/summary.html", context, status=400 if error else 200)
