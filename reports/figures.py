"""The activity report's figures for a period: ONE function, ``compute(period)``, used by the
admin page, the CSV/XLSX/PDF exports and ``manage.py activity_report``.

Every figure is an SQL aggregate (Count, Sum, conditional aggregation, subqueries): the number
of queries is fixed, whatever the number of rows. Definitions: DESIGN.md, « Report definitions ».
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from base.hours import hours
from members.models import OrganisationKind, Region
from registrations.kinds import application_kinds
from registrations.kinds import kind_label as registry_kind_label
from registrations.models import RegistrationStatus
from registrations.models.attendance import PART_DURATION
from resources.models import ResourceType
from timesheets.models import Activity

from . import evaluations, exchange, jointpurchases, newsletter, queries

NO_ORGANISATION = "none"


def kind_label(kind):
    return registry_kind_label(kind, plural=True)


def percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Figure:
    key: str
    section: str
    label: str
    value: object
    unit: str = ""
    drill: tuple | None = None  # (drill-down name, params)
    available: bool = True
    previous: object = None


@dataclass
class Column:
    key: str
    label: str
    unit: str = ""


@dataclass
class Row:
    key: str
    label: str
    values: dict
    drill: dict = field(default_factory=dict)  # column key -> (drill-down name, params)
    previous: dict = field(default_factory=dict)


@dataclass
class Breakdown:
    key: str
    section: str
    title: str
    columns: list
    rows: list
    chart_column: str = ""
    available: bool = True


@dataclass
class Report:
    period: object
    figures: dict
    breakdowns: dict
    previous: "Report | None" = None
    sections: dict = field(default_factory=dict)

    def figure_list(self, section=None):
        return [f for f in self.figures.values() if section is None or f.section == section]

    def breakdown_list(self, section=None):
        return [b for b in self.breakdowns.values() if section is None or b.section == section]


# The other activities' sections, one module each: ``SECTION`` (its key), ``SECTION_LABEL`` and
# ``figures(builder)``, which adds its figures and breakdowns for a fixed number of queries.
ACTIVITY_SECTIONS = (newsletter, exchange, evaluations, jointpurchases)

SECTIONS = {
    "activity": gettext_lazy("Réunions, événements et formations"),
    "participation": gettext_lazy("Participation"),
    "suppliers": gettext_lazy("Rencontres avec les fournisseurs"),
    "library": gettext_lazy("Ressources et assistance"),
    "time": gettext_lazy("Temps de l'équipe"),
    **{section.SECTION: section.SECTION_LABEL for section in ACTIVITY_SECTIONS},
}


class _Builder:
    def __init__(self, period, now):
        self.period = period
        self.now = now
        self.figures = {}
        self.breakdowns = {}

    def figure(self, key, section, label, value, *, unit="", drill=None, available=True):
        self.figures[key] = Figure(key, section, str(label), value, unit, drill, available)

    def breakdown(self, key, section, title, columns, rows, *, chart_column="", available=True):
        self.breakdowns[key] = Breakdown(key, section, str(title), columns, rows, chart_column, available)

    # Sections ---------------------------------------------------------------------------------

    def activity(self):
        held = queries.held_occurrences(self.period, self.now)
        by_kind = list(held.values("kind").annotate(count=Count("pk")).order_by("-count", "kind"))
        total = sum(row["count"] for row in by_kind)  # a handful of kinds, not rows
        self.figure("held_total", "activity", _("Réunions et événements tenus"), total, drill=("occurrences", {}))
        self.figure(
            "planned_total",
            "activity",
            _("Dates prévues, pas encore tenues (non comptées)"),
            queries.planned_occurrences(self.period, self.now).count(),
            drill=("occurrences", {"planned": "1"}),
        )
        self.breakdown(
            "held_by_kind",
            "activity",
            _("Réunions et événements tenus, par type"),
            [Column("count", _("Tenus"))],
            [
                Row(
                    r["kind"],
                    kind_label(r["kind"]),
                    {"count": r["count"]},
                    {"count": ("occurrences", {"kind": r["kind"]})},
                )
                for r in by_kind
            ],
            chart_column="count",
        )
        runs = next((r["count"] for r in by_kind if r["kind"] == queries.TRAINING_KIND), 0)
        self.figure(
            "training_runs",
            "activity",
            _("Sessions de formation tenues"),
            runs,
            drill=("occurrences", {"kind": queries.TRAINING_KIND}),
        )
        delivered = queries.training_attendance(self.period, self.now).aggregate(total=Sum(PART_DURATION))["total"]
        self.figure(
            "training_person_hours",
            "activity",
            _("Heures-stagiaires de formation dispensées"),
            hours(delivered),
            unit="h",
            drill=("training_attendance", {}),
        )
        self.working_groups()

    def working_groups(self):
        meetings = queries.working_group_meetings(self.period, self.now)
        groups = queries.active_working_groups(self.period, self.now)
        per_group = dict(meetings.values_list("page__eventpage__working_group").annotate(count=Count("pk")).order_by())
        group_rows = list(groups.order_by("title").values_list("pk", "title"))
        self.figure(
            "working_groups_active",
            "activity",
            _("Groupes de travail actifs"),
            len(group_rows),
            drill=("working_groups", {}),
        )
        self.figure(
            "working_group_meetings",
            "activity",
            _("Réunions de groupes de travail"),
            meetings.count(),
            drill=("occurrences", {"working_groups": "1"}),
        )
        self.breakdown(
            "working_group_meetings",
            "activity",
            _("Réunions par groupe de travail actif"),
            [Column("meetings", _("Réunions tenues"))],
            [
                Row(
                    str(pk),
                    title,
                    {"meetings": per_group.get(pk, 0)},
                    {"meetings": ("occurrences", {"working_group": pk})},
                )
                for pk, title in group_rows
            ],
            chart_column="meetings",
        )

    def participation_counts(self, members):
        """Confirmed, present, no-shows, distinct participants and member organisations reached,
        in total and per region and per kind of body: two queries (one over confirmed
        registrations, one over those who attended), with one conditional aggregate per group
        (regions and kinds of body are a fixed, small set)."""
        groups = {"total": Q()}
        for dimension, choices in (("region", Region), ("kind", OrganisationKind)):
            for value in choices.values:
                groups[f"{dimension}:{value}"] = Q(**{f"organisation__{dimension}": value})
            groups[f"{dimension}:{NO_ORGANISATION}"] = Q(organisation__isnull=True)
        ended = Q(occurrence__end__lt=self.now)
        member = Q(organisation__in=members.values("pk"))
        confirmed, attended = {}, {}
        for name, condition in groups.items():
            confirmed[f"{name}|confirmed"] = Count("pk", filter=condition)
            confirmed[f"{name}|ended"] = Count("pk", filter=condition & ended)
            attended[f"{name}|present"] = Count("pk", filter=condition)
            attended[f"{name}|present_ended"] = Count("pk", filter=condition & ended)
            attended[f"{name}|participants"] = Count(Lower("email"), distinct=True, filter=condition)
            attended[f"{name}|organisations"] = Count("organisation", distinct=True, filter=condition & member)
        values = {
            **queries.held_registrations(self.period, self.now).aggregate(**confirmed),
            **queries.attended_registrations(self.period, self.now).aggregate(**attended),
        }
        counts = {}
        for key, value in values.items():  # one entry per group and measure: a fixed number
            name, measure = key.split("|")
            counts.setdefault(name, {})[measure] = value or 0
        for row in counts.values():
            row["no_shows"] = row["ended"] - row["present_ended"]
        return counts

    def participation(self):
        members = queries.member_organisations(self.period)
        counts = self.participation_counts(members)
        totals = counts["total"]
        member_count = members.count()
        present = ("registrations", {"which": "present"})
        reached = ("organisations", {"reached": "1"})
        for key, label, value, unit, drill in (
            ("registrations", _("Inscriptions confirmées"), totals["confirmed"], "", ("registrations", {})),
            ("present", _("Inscrits présents au moins une fois"), totals["present"], "", present),
            ("attendance_rate", _("Taux de présence"), percent(totals["present"], totals["confirmed"]), "%", present),
            (
                "no_shows",
                _("Absents non excusés ou non venus"),
                totals["no_shows"],
                "",
                ("registrations", {"which": "no_show"}),
            ),
            ("unique_participants", _("Participants distincts"), totals["participants"], "", present),
            ("member_organisations_reached", _("Organisations membres touchées"), totals["organisations"], "", reached),
            (
                "member_organisations",
                _("Organisations membres sur la période"),
                member_count,
                "",
                ("organisations", {}),
            ),
            (
                "member_share",
                _("Part des organisations membres touchées"),
                percent(totals["organisations"], member_count),
                "%",
                reached,
            ),
        ):
            self.figure(key, "participation", label, value, unit=unit, drill=drill)
        for key, param, choices, title in (
            ("by_region", "region", Region, _("Participation par région")),
            ("by_body", "kind", OrganisationKind, _("Participation par type de collectivité")),
        ):
            self.participation_breakdown(key, param, choices, title, counts, members)

    def participation_breakdown(self, key, param, choices, title, counts, members):
        """Participation per region or per kind of body (``param``), from ``participation_counts``."""
        member_by = dict(members.values_list(param).annotate(count=Count("pk")).order_by())
        rows = []
        for value, label in [*choices.choices, (NO_ORGANISATION, _("Sans organisation membre"))]:
            row = counts[f"{param}:{value}"]
            members_here = member_by.get(value, 0)
            if not row["confirmed"] and not members_here:
                continue
            params = {param: value}
            rows.append(
                Row(
                    value,
                    str(label),
                    {
                        "registrations": row.get("confirmed", 0),
                        "participants": row.get("participants", 0),
                        "organisations": row.get("organisations", 0),
                        "members": members_here,
                        "share": percent(row.get("organisations", 0), members_here),
                    },
                    {
                        "registrations": ("registrations", params),
                        "participants": ("registrations", {**params, "which": "present"}),
                        "organisations": ("organisations", {**params, "reached": "1"}),
                        "members": ("organisations", params),
                    },
                )
            )
        self.breakdown(
            key,
            "participation",
            title,
            [
                Column("registrations", _("Inscriptions confirmées")),
                Column("participants", _("Participants distincts")),
                Column("organisations", _("Membres touchés")),
                Column("members", _("Membres")),
                Column("share", _("Part touchée"), "%"),
            ],
            rows,
            chart_column="participants",
        )

    def suppliers(self):
        meetings = queries.held_occurrences(self.period, self.now).filter(kind__in=application_kinds()).count()
        applications = queries.supplier_applications(self.period, self.now).aggregate(
            applied=Count("supplier", distinct=True),
            selected=Count("supplier", distinct=True, filter=Q(status=RegistrationStatus.SELECTED)),
        )
        self.figure(
            "market_meetings",
            "suppliers",
            _("Rencontres fournisseurs tenues"),
            meetings,
            drill=("occurrences", {"by_application": "1"}),
        )
        self.figure(
            "suppliers_applied",
            "suppliers",
            _("Fournisseurs candidats"),
            applications["applied"],
            drill=("applications", {}),
        )
        self.figure(
            "suppliers_met",
            "suppliers",
            _("Fournisseurs retenus et rencontrés"),
            applications["selected"],
            drill=("applications", {"which": "selected"}),
        )

    def library(self):
        labels = {k: str(v) for k, v in ResourceType.choices}
        by_type = dict(
            queries.published_resources(self.period).values_list("resource_type").annotate(count=Count("pk")).order_by()
        )
        self.figure(
            "resources_published",
            "library",
            _("Ressources publiées"),
            sum(by_type.values()),
            drill=("resources", {}),
        )
        self.breakdown(
            "resources_by_type",
            "library",
            _("Ressources publiées, par type"),
            [Column("count", _("Publiées"))],
            [
                Row(k, labels.get(k, k), {"count": n}, {"count": ("resources", {"type": k})})
                for k, n in sorted(by_type.items(), key=lambda item: (-item[1], item[0]))
            ],
            chart_column="count",
        )
        answered = queries.answered_questions(self.period)
        self.figure(
            "questions_answered",
            "library",
            _("Questions de l'assistance traitées"),
            answered.count(),
            drill=("questions", {}),
        )

    def staff_time(self):
        rows = [
            {**r, "hours": Decimal(r["hours"]).quantize(Decimal("0.01"))}
            for r in queries.time_entries(self.period).hours_by_activity()
        ]
        total = sum((r["hours"] for r in rows), Decimal("0.00"))
        self.figure("staff_hours", "time", _("Temps de l'équipe"), total, unit="h", drill=("time", {}))
        labels = dict(Activity.choices)
        self.breakdown(
            "time_by_activity",
            "time",
            _("Temps de l'équipe par activité"),
            [Column("hours", _("Heures"), "h"), Column("percent", _("Part"), "%")],
            [
                Row(
                    r["activity"],
                    str(labels.get(r["activity"], r["activity"])),
                    {"hours": r["hours"], "percent": percent(r["hours"], total)},
                    {"hours": ("time", {"activity": r["activity"]})},
                )
                for r in rows
            ],
            chart_column="hours",
        )


def _compute_one(period, now):
    builder = _Builder(period, now)
    builder.activity()
    builder.participation()
    builder.suppliers()
    builder.library()
    builder.staff_time()
    for section in ACTIVITY_SECTIONS:
        section.figures(builder)
    return Report(period=period, figures=builder.figures, breakdowns=builder.breakdowns, sections=dict(SECTIONS))


def compute(period, *, compare=True, now=None):
    """Every figure of the activity report for ``period`` (a base.periods.Period), with the
    previous period of the same length when ``compare``."""
    now = now or timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # JIT compilation of these short aggregates costs more than running them, and the
            # distinct counts sort 100,000 rows: keep those sorts in memory (this transaction only).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '32MB'")
        return _compute(period, now, compare)


def _compute(period, now, compare):
    report = _compute_one(period, now)
    if compare:
        previous = _compute_one(period.previous(), now)
        report.previous = previous
        for key, figure in report.figures.items():
            figure.previous = previous.figures[key].value
        for key, breakdown in report.breakdowns.items():
            before = {row.key: row.values for row in previous.breakdowns[key].rows}
            for row in breakdown.rows:
                row.previous = before.get(row.key) or {c.key: 0 for c in breakdown.columns if c.unit != "%"}
    return report


def as_dict(report):
    """A JSON-ready dict of the report (numbers as strings where they are Decimals)."""

    def plain(value):
        return str(value) if isinstance(value, Decimal) else value

    data = {
        "period": report.period.as_params(),
        "previous_period": report.previous.period.as_params() if report.previous else None,
        "figures": {
            f.key: {
                "section": f.section,
                "label": f.label,
                "value": plain(f.value),
                "previous": plain(f.previous),
                "unit": f.unit,
                "available": f.available,
            }
            for f in report.figures.values()
        },
        "breakdowns": {
            b.key: {
                "section": b.section,
                "title": b.title,
                "available": b.available,
                "columns": {c.key: c.label for c in b.columns},
                "rows": [
                    {
                        "key": r.key,
                        "label": r.label,
                        "values": {k: plain(v) for k, v in r.values.items()},
                        "previous": {k: plain(v) for k, v in r.previous.items()},
                    }
                    for r in b.rows
                ],
            }
            for b in report.breakdowns.values()
        },
    }
    return data
