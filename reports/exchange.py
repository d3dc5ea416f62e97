"""The members' exchange in the activity report: questions, answers, members involved,
organisations reached, median time to a first answer. SQL aggregates, a fixed number of queries
(``percentile_cont`` on PostgreSQL; SQLite, which lacks it, takes the median of the durations)."""

import statistics
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Aggregate, DurationField, ExpressionWrapper, F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exchange.models import Answer, Question

SECTION = "exchange"
SECTION_LABEL = gettext_lazy("Entraide entre membres")


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _hours(duration):
    if duration is None:
        return None
    return (Decimal(duration.total_seconds()) / 3600).quantize(Decimal("0.1"), ROUND_HALF_UP)


def median_first_answer(questions):
    """Median time from a question to its first answer (answered questions only), or None."""
    wait = ExpressionWrapper(F("first_answer_at") - F("created_at"), output_field=DurationField())
    answered = questions.filter(first_answer_at__isnull=False)
    if connection.vendor == "postgresql":
        return answered.aggregate(median=Median(wait))["median"]
    durations = list(answered.annotate(wait=wait).values_list("wait", flat=True))
    return statistics.median(durations) if durations else None


def _sql(queryset):
    return queryset.query.sql_with_params()


def counts(questions, answers):
    """(questions, answers, people, organisations) in one query: people and organisations are
    the distinct authors and authorities of the period's questions and answers."""
    parts = [
        questions.order_by().values("pk"),
        answers.order_by().values("pk"),
        questions.filter(author__isnull=False).order_by().values("author_id"),
        answers.filter(author__isnull=False).order_by().values("author_id"),
        questions.filter(organisation__isnull=False).order_by().values("organisation_id"),
        answers.filter(organisation__isnull=False).order_by().values("organisation_id"),
    ]
    compiled = [_sql(part) for part in parts]
    # The parts are the ORM's own SQL, their values passed as parameters: nothing is interpolated.
    template = (
        "SELECT (SELECT COUNT(*) FROM ({}) q), (SELECT COUNT(*) FROM ({}) a),"
        " (SELECT COUNT(*) FROM ({} UNION {}) p), (SELECT COUNT(*) FROM ({} UNION {}) o)"
    )
    sql = template.format(*(text for text, _params in compiled))
    params = [param for _text, part_params in compiled for param in part_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def figures(builder):
    """Adds the exchange's figures to the report builder (``reports.figures._Builder``)."""
    period = builder.period
    questions = Question.objects.visible().filter(created_at__gte=period.start_at, created_at__lt=period.end_before)
    answers = Answer.objects.filter(
        hidden=False, question__hidden=False, created_at__gte=period.start_at, created_at__lt=period.end_before
    )
    asked, answered, people, organisations = counts(questions, answers)
    builder.figure("exchange_questions", SECTION, _("Questions posées entre membres"), asked)
    builder.figure("exchange_answers", SECTION, _("Réponses des membres"), answered)
    builder.figure("exchange_people", SECTION, _("Personnes ayant posé une question ou répondu"), people)
    builder.figure("exchange_organisations", SECTION, _("Collectivités ayant pris part à l'entraide"), organisations)
    builder.figure(
        "exchange_median_first_answer",
        SECTION,
        _("Délai médian avant la première réponse"),
        _hours(median_first_answer(questions)),
        unit="h",
    )
