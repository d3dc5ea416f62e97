"""The activity report's satisfaction figures (« Satisfaction des participants »): the
« à chaud » evaluations of the dates held in the period, per kind of activity and per training.
The report's comparison with the previous period gives the year-over-year change.

SQL aggregates only (a fixed number of queries): the average of the 1–5 ratings, the share of
« yes » to « would you recommend », the responses and the response rate (responses / people
present at the evaluated dates)."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from evaluations.models import Answer, Response, Stage, Survey
from evaluations.services import attended_registrations
from registrations.kinds import kind_label

from . import queries

HUNDREDTH = Decimal("0.01")
TENTH = Decimal("0.1")


def _average(value):
    return None if value is None else Decimal(str(value)).quantize(HUNDREDTH, ROUND_HALF_UP)


def _share(yes, total):
    return None if not total else (Decimal(yes) * 100 / Decimal(total)).quantize(TENTH, ROUND_HALF_UP)


def _aggregates(answers, *group):
    """Per group: the rating average, recommend yes/total; ``answers`` an Answer queryset."""
    return answers.values(*group).annotate(
        average=Avg("rating", filter=Q(question_type="rating")),
        yes=Count("pk", filter=Q(question_type="recommend", recommend=True)),
        recommend=Count("pk", filter=Q(question_type="recommend", recommend__isnull=False)),
        responses=Count("response", distinct=True),
    )


def satisfaction(builder):
    """Adds the section's figures and breakdowns to the report ``builder`` (reports.figures)."""
    from .figures import Column, Row  # figures calls this function: loaded on use

    held = queries.held_occurrences(builder.period, builder.now)
    surveys = Survey.objects.filter(stage=Stage.HOT, occurrence__in=held)
    answers = Answer.objects.filter(response__survey__in=surveys)
    responses = Response.objects.filter(survey__in=surveys).count()
    present = attended_registrations(surveys.values("occurrence_id")).count()
    totals = answers.aggregate(
        average=Avg("rating", filter=Q(question_type="rating")),
        yes=Count("pk", filter=Q(question_type="recommend", recommend=True)),
        recommend=Count("pk", filter=Q(question_type="recommend", recommend__isnull=False)),
    )
    totals = totals or {"average": None, "yes": 0, "recommend": 0}
    section = "satisfaction"
    builder.figure("satisfaction_responses", section, _("Réponses aux évaluations à chaud"), responses)
    builder.figure(
        "satisfaction_response_rate",
        section,
        _("Taux de réponse aux évaluations"),
        _share(responses, present),
        unit="%",
    )
    builder.figure(
        "satisfaction_average",
        section,
        _("Satisfaction moyenne (notes de 1 à 5)"),
        _average(totals["average"]),
        unit="/ 5",
    )
    builder.figure(
        "satisfaction_recommend",
        section,
        _("Participants qui recommanderaient l'activité"),
        _share(totals["yes"], totals["recommend"]),
        unit="%",
    )
    columns = [
        Column("responses", _("Réponses")),
        Column("average", _("Satisfaction moyenne"), "/ 5"),
        Column("recommend", _("Recommanderaient"), "%"),
    ]
    by_kind = _aggregates(answers, "response__survey__occurrence__kind").order_by("response__survey__occurrence__kind")
    builder.breakdown(
        "satisfaction_by_kind",
        section,
        _("Satisfaction par type d'activité"),
        columns,
        [
            Row(
                r["response__survey__occurrence__kind"],
                kind_label(r["response__survey__occurrence__kind"], plural=True),
                {
                    "responses": r["responses"],
                    "average": _average(r["average"]),
                    "recommend": _share(r["yes"], r["recommend"]),
                },
            )
            for r in by_kind
        ],
        chart_column="average",
    )
    by_training = _aggregates(
        answers.filter(response__survey__occurrence__kind=queries.TRAINING_KIND),
        "response__survey__occurrence__page_id",
        "response__survey__occurrence__page__title",
    ).order_by("response__survey__occurrence__page__title", "response__survey__occurrence__page_id")
    builder.breakdown(
        "satisfaction_by_training",
        section,
        _("Satisfaction par formation"),
        columns,
        [
            Row(
                str(r["response__survey__occurrence__page_id"]),
                r["response__survey__occurrence__page__title"],
                {
                    "responses": r["responses"],
                    "average": _average(r["average"]),
                    "recommend": _share(r["yes"], r["recommend"]),
                },
            )
            for r in by_training
        ],
        chart_column="average",
    )
