"""The members' exchange in the activity report: questions, answers, members involved,
organisations reached, median time to a first answer. SQL aggregates, a fixed number of queries
(``percentile_cont`` on PostgreSQL; SQLite, which lacks it, takes the median of the durations)."""

import statistics
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Aggregate, DurationField, ExpressionWrapper, F, Q
from django.utils.translation import gettext as _

from exchange.models import Answer, Question
from members.models import Organisation

SECTION = "exchange"


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _hours(duration):
    if duration is None:
        return None
    return (Decimal(duration.total_seconds()) / 3600).quantize(Decimal("0.1"), ROUND_HALF_UP)


def median_first_answer(questions):
    """Median time from a question to its first answer (questions answered only), or None."""
    wait = ExpressionWrapper(F("first_answer_at") - F("created_at"), output_field=DurationField())
    answered = questions.filter(first_answer_at__isnull=False)
    if connection.vendor == "postgresql":
        return answered.aggregate(median=Median(wait))["median"]
    durations = list(answered.annotate(wait=wait).values_list("wait", flat=True))
    return statistics.median(durations) if durations else None


def figures(builder, period):
    """Adds the exchange's figures to the report builder (``reports.figures._Builder``)."""
    questions = Question.objects.visible().filter(created_at__gte=period.start_at, created_at__lt=period.end_before)
    answers = Answer.objects.filter(
        hidden=False, question__hidden=False, created_at__gte=period.start_at, created_at__lt=period.end_before
    )
    people = get_user_model().objects.filter(
        Q(pk__in=questions.values("author_id")) | Q(pk__in=answers.values("author_id"))
    )
    organisations = Organisation.objects.filter(
        Q(pk__in=questions.values("organisation_id")) | Q(pk__in=answers.values("organisation_id"))
    )
    builder.figure("exchange_questions", SECTION, _("Questions posées entre membres"), questions.count())
    builder.figure("exchange_answers", SECTION, _("Réponses des membres"), answers.count())
    builder.figure("exchange_people", SECTION, _("Personnes ayant posé une question ou répondu"), people.count())
    builder.figure(
        "exchange_organisations", SECTION, _("Collectivités ayant pris part à l'entraide"), organisations.count()
    )
    builder.figure(
        "exchange_median_first_answer",
        SECTION,
        _("Délai médian avant la première réponse"),
        _hours(median_first_answer(questions)),
        unit="h",
    )
