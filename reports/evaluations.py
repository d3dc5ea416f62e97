"""The activity report's satisfaction figures (« Satisfaction des participants »): the
« à chaud » evaluations of the dates held in the period, per kind of activity and per training.
The report's comparison with the previous period gives the year-over-year change.

SQL aggregates only (a fixed number of queries): the average of the 1–5 ratings, the share of
« yes » to « would you recommend », the responses and the response rate (responses / people
present at the evaluated dates)."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import Answer, Stage, Survey
from evaluations.services import attended_registrations
from registrations.kinds import kind_label

from . import queries

SECTION = "satisfaction"
SECTION_LABEL = gettext_lazy("Satisfaction des participants")

HUNDREDTH = Decimal("0.01")
TENTH = Decimal("0.1")


def _average(value):
    return None if value is None else Decimal(str(value)).quantize(HUNDREDTH, ROUND_HALF_UP)


def _share(yes, total):
    return None if not total else (Decimal(yes) * 100 / Decimal(total)).quantize(TENTH, ROUND_HALF_UP)


KIND = "response__survey__occurrence__kind"
PAGE = "response__survey__occurrence__page_id"
TITLE = "response__survey__occurrence__page__title"
SUMS = ("responses", "rating_sum", "ratings", "yes", "recommend")


def _values(sums):
    average = Decimal(sums["rating_sum"]) / sums["ratings"] if sums["ratings"] else None
    return {
        "responses": sums["responses"],
        "average": _average(average),
        "recommend": _share(sums["yes"], sums["recommend"]),
    }


def _add(total, row):
    for key in SUMS:
        total[key] = total.get(key, 0) + (row[key] or 0)
    return total


def figures(builder):
    """Adds the section's figures and breakdowns to the report ``builder`` (reports.figures):
    two queries, the answers summed per kind and page (a few rows), and the people present."""
    from .figures import Column, Row  # figures calls this function: loaded on use

    held = queries.held_occurrences(builder.period, builder.now)
    surveys = Survey.objects.filter(stage=Stage.HOT, occurrence__in=held)
    groups = list(
        Answer.objects.filter(response__survey__in=surveys)
        .values(KIND, PAGE, TITLE)
        .annotate(
            responses=Count("response", distinct=True),
            rating_sum=Sum("rating", filter=Q(question_type="rating")),
            ratings=Count("rating", filter=Q(question_type="rating")),
            yes=Count("pk", filter=Q(question_type="recommend", recommend=True)),
            recommend=Count("pk", filter=Q(question_type="recommend", recommend__isnull=False)),
        )
        .order_by(KIND, TITLE, PAGE)
    )
    present = attended_registrations(surveys.values("occurrence_id")).count()
    totals, by_kind = dict.fromkeys(SUMS, 0), {}
    for row in groups:  # one row per page: a few dozen at most
        _add(totals, row)
        _add(by_kind.setdefault(row[KIND], {}), row)
    section = SECTION
    overall = _values(totals)
    builder.figure("satisfaction_responses", section, _("Réponses aux évaluations à chaud"), totals["responses"])
    builder.figure(
        "satisfaction_response_rate",
        section,
        _("Taux de réponse aux évaluations"),
        _share(totals["responses"], present),
        unit="%",
    )
    builder.figure(
        "satisfaction_average", section, _("Satisfaction moyenne (notes de 1 à 5)"), overall["average"], unit="/ 5"
    )
    builder.figure(
        "satisfaction_recommend",
        section,
        _("Participants qui recommanderaient l'activité"),
        overall["recommend"],
        unit="%",
    )
    columns = [
        Column("responses", _("Réponses")),
        Column("average", _("Satisfaction moyenne"), "/ 5"),
        Column("recommend", _("Recommanderaient"), "%"),
    ]
    builder.breakdown(
        "satisfaction_by_kind",
        section,
        _("Satisfaction par type d'activité"),
        columns,
        [Row(kind, kind_label(kind, plural=True), _values(sums)) for kind, sums in by_kind.items()],
        chart_column="average",
    )
    builder.breakdown(
        "satisfaction_by_training",
        section,
        _("Satisfaction par formation"),
        columns,
        [Row(str(row[PAGE]), row[TITLE], _values(row)) for row in groups if row[KIND] == queries.TRAINING_KIND],
        chart_column="average",
    )
