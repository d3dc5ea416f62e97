"""The rows behind each figure of the activity report (« every figure links to its rows »).

``drilldown(name, period, params)`` returns a title, column headers and a queryset (or list)
with a function turning one row into cells. Filters come from the same querysets as the
figures (reports.queries), so a list and its figure always agree.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from base.hours import hours
from base.periods import PeriodError
from members.models import OrganisationKind, Region
from registrations.kinds import application_kinds
from registrations.models import RegistrationStatus
from registrations.models.attendance import PART_DURATION
from timesheets.models import Activity

from . import queries
from .figures import NO_ORGANISATION, kind_label


class ReportError(PeriodError):
    """A report filter that cannot be answered (an unknown value). See ``base.errors.DomainError``."""


@dataclass
class Drilldown:
    title: str
    headers: list
    rows: object  # a queryset or a list
    cells: object  # row -> list of cells (str, or (str, url))


def _local(value, fmt="%d/%m/%Y %H:%M"):
    return timezone.localtime(value).strftime(fmt) if value else "—"


def _choice(params, name, allowed):
    value = params.get(name, "")
    if value and value not in allowed:
        raise ReportError(_("Valeur inconnue pour « %(name)s ».") % {"name": name}, "invalid_filter", name)
    return value


def _int(params, name):
    value = params.get(name, "")
    if value and not value.isdigit():
        raise ReportError(_("Valeur inconnue pour « %(name)s ».") % {"name": name}, "invalid_filter", name)
    if not value:
        return None
    return min(int(value), 2**31 - 1)  # beyond any id: matches nothing, without overflowing the database


def _page_link(page):
    return (page.title, reverse("wagtailadmin_pages:edit", args=[page.pk]))


def occurrences(period, params):
    rows = queries.held_occurrences(period).select_related("page")
    title = _("Réunions et événements tenus")
    if params.get("planned"):
        rows, title = queries.planned_occurrences(period).select_related("page"), _("Dates prévues, pas encore tenues")
    if kind := params.get("kind", "")[:40]:
        rows, title = rows.filter(kind=kind), f"{title} — {kind_label(kind)}"
    if params.get("by_application"):
        rows, title = rows.filter(kind__in=application_kinds()), _("Rencontres fournisseurs tenues")
    if params.get("working_groups"):
        rows, title = queries.working_group_meetings(period).select_related("page"), _("Réunions de groupes de travail")
    if (group := _int(params, "working_group")) is not None:
        rows = rows.filter(page__eventpage__working_group_id=group)
    rows = rows.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED))
    ).order_by("start", "pk")
    return Drilldown(
        title,
        [_("Date"), _("Page"), _("Type"), _("Inscrits confirmés"), _("Présences")],
        rows,
        lambda o: [
            _local(o.start),
            _page_link(o.page),
            kind_label(o.kind),
            str(o.confirmed),
            (_("relever"), reverse("attendance_admin:occurrence", args=[o.pk])),
        ],
    )


def _by_organisation(rows, params, prefix=""):
    region = _choice(params, "region", [*Region.values, NO_ORGANISATION])
    kind = _choice(params, "kind", [*OrganisationKind.values, NO_ORGANISATION])
    if region == NO_ORGANISATION or kind == NO_ORGANISATION:
        rows = rows.filter(**{f"{prefix}isnull": True})
    else:
        if region:
            rows = rows.filter(**{f"{prefix}region": region})
        if kind:
            rows = rows.filter(**{f"{prefix}kind": kind})
    return rows


def registrations(period, params):
    rows = queries.confirmed_registrations(period)
    which = _choice(params, "which", ["present", "no_show"])
    title = {"present": _("Inscrits présents au moins une fois"), "no_show": _("Inscrits non venus")}.get(
        which, _("Inscriptions confirmées")
    )
    if which == "present":
        rows = rows.filter(attended=True)
    elif which == "no_show":
        rows = rows.filter(queries.no_show_q())
    rows = _by_organisation(rows, params, "organisation__").select_related("occurrence__page", "organisation")
    return Drilldown(
        title,
        [_("Personne"), _("Adresse"), _("Organisation"), _("Événement"), _("Date"), _("Présent·e")],
        rows.order_by("occurrence__start", "last_name", "pk"),
        lambda r: [
            r.full_name,
            r.email,
            r.organisation.name if r.organisation else (r.organisation_name or "—"),
            r.occurrence.page.title,
            _local(r.occurrence.start, "%d/%m/%Y"),
            _("oui") if r.attended else _("non"),
        ],
    )


def training_attendance(period, params):
    rows = (
        queries.training_attendance(period)
        .annotate(duration=PART_DURATION)
        .select_related("registration", "part__occurrence__page")
        .order_by("part__start", "registration__last_name", "pk")
    )
    return Drilldown(
        _("Présences en formation (heures-stagiaires)"),
        [_("Personne"), _("Formation"), _("Demi-journée"), _("Présence"), _("Heures")],
        rows,
        lambda a: [
            a.registration.full_name,
            a.part.occurrence.page.title,
            f"{a.part.date:%d/%m/%Y} {a.part.get_kind_display()}",
            a.get_status_display(),
            str(hours(a.duration)),
        ],
    )


def organisations(period, params):
    reached = params.get("reached")
    rows = queries.reached_organisations(period) if reached else queries.member_organisations(period)
    rows = _by_organisation(rows, params)
    return Drilldown(
        _("Organisations membres touchées") if reached else _("Organisations membres sur la période"),
        [_("Organisation"), _("Type"), _("Région"), _("Adhérente depuis"), _("Jusqu'au")],
        rows.order_by("name"),
        lambda o: [
            (o.name, reverse("organisation:edit", args=[o.pk])),
            o.get_kind_display(),
            o.get_region_display(),
            f"{o.member_since:%d/%m/%Y}",
            f"{o.member_until:%d/%m/%Y}" if o.member_until else "—",
        ],
    )


def working_groups(period, params):
    rows = queries.active_working_groups(period).order_by("title")
    return Drilldown(_("Groupes de travail actifs"), [_("Groupe")], rows, lambda g: [_page_link(g)])


def applications(period, params):
    rows = queries.supplier_applications(period)
    selected = _choice(params, "which", ["selected"])
    if selected:
        rows = rows.filter(status=RegistrationStatus.SELECTED)
    rows = rows.select_related("supplier", "occurrence__page").order_by("occurrence__start", "pk")
    return Drilldown(
        _("Fournisseurs retenus et rencontrés") if selected else _("Candidatures de fournisseurs"),
        [_("Fournisseur"), _("Contact"), _("Rencontre"), _("Date"), _("Statut")],
        rows,
        lambda r: [
            r.supplier.name if r.supplier else r.organisation_name,
            r.full_name,
            r.occurrence.page.title,
            _local(r.occurrence.start, "%d/%m/%Y"),
            r.get_status_display(),
        ],
    )


def resources(period, params):
    wanted = params.get("type", "")[:60]
    rows = queries.published_resources(period)
    if wanted:
        rows = rows.filter(resource_type=wanted)
    found = rows.order_by("first_published_at")[:1000]
    return Drilldown(
        _("Ressources publiées"),
        [_("Ressource"), _("Type"), _("Première publication")],
        found,
        lambda p: [_page_link(p), str(p.get_resource_type_display()), _local(p.first_published_at, "%d/%m/%Y")],
    )


def questions(period, params):
    rows = queries.answered_questions(period).order_by("answered_at")
    return Drilldown(
        _("Questions de l'assistance traitées"),
        [_("Question"), _("Traitée le")],
        rows,
        lambda q: [str(q), _local(q.answered_at)],
    )


def time(period, params):
    rows = queries.time_entries(period)
    if activity := _choice(params, "activity", Activity.values):
        rows = rows.filter(activity=activity)
    rows = rows.select_related("person", "page").order_by("date", "pk")
    return Drilldown(
        _("Temps de l'équipe"),
        [_("Date"), _("Personne"), _("Activité"), _("Page"), _("Heures"), _("Note")],
        rows,
        lambda e: [
            (f"{e.date:%d/%m/%Y}", reverse("time_entries:edit", args=[e.pk])),
            str(e.person),
            e.get_activity_display(),
            e.page.title if e.page else "—",
            str(e.hours),
            e.note,
        ],
    )


DRILLDOWNS = {
    "occurrences": occurrences,
    "registrations": registrations,
    "training_attendance": training_attendance,
    "organisations": organisations,
    "working_groups": working_groups,
    "applications": applications,
    "resources": resources,
    "questions": questions,
    "time": time,
}


def drilldown(name, period, params):
    """The Drilldown ``name`` for ``period``; KeyError if unknown, ReportError for bad filters."""
    return DRILLDOWNS[name](period, params)
