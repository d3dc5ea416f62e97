"""The exchange's figures in the activity report: counts, distinct people and authorities,
the median time to a first answer (percentile_cont on PostgreSQL)."""

import datetime
from decimal import Decimal

import pytest

from base.periods import year_period
from exchange.models import Answer, Question
from reports.figures import compute
from tests.factories import MemberFactory
from tests.factories.exchange import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)


def at(month, day, hour=9):
    return datetime.datetime(2025, month, day, hour, tzinfo=datetime.UTC)


def _question(asked, first_answer_hours=None, **kwargs):
    question = QuestionFactory(**kwargs)
    fields = {"created_at": asked}
    if first_answer_hours is not None:
        answer = AnswerFactory(question=question)
        Answer.objects.filter(pk=answer.pk).update(created_at=asked + datetime.timedelta(hours=first_answer_hours))
        fields["first_answer_at"] = asked + datetime.timedelta(hours=first_answer_hours)
    Question.objects.filter(pk=question.pk).update(**fields)
    return question


def test_exchange_figures():
    nantes = MemberFactory()
    colleague = MemberFactory(organisation=nantes.organisation)
    _question(at(2, 1), 2, author=nantes)
    _question(at(3, 1), 5, author=colleague)
    question = _question(at(4, 1), 30, author=nantes)
    _question(at(5, 1))  # never answered: not in the median
    _question(at(6, 1), 1, hidden=True)  # moderated: not counted
    _question(datetime.datetime(2024, 12, 31, 9, tzinfo=datetime.UTC), 1)  # the year before
    answer = AnswerFactory(question=question, author=nantes)  # people and authorities counted once
    Answer.objects.filter(pk=answer.pk).update(created_at=at(4, 3))

    figures = {k: f.value for k, f in compute(year_period(2025), now=NOW).figures.items() if k.startswith("exchange")}
    # questions: 4 visible in 2025; answers: 3 first answers + Nantes's (the hidden question's are not counted)
    assert figures["exchange_questions"] == 4
    assert figures["exchange_answers"] == 4
    # people: nantes, colleague, the 3 answerers, the unanswered question's author
    assert figures["exchange_people"] == 6
    assert figures["exchange_organisations"] == 5  # Nantes (twice), 3 answerers', the unanswered one's
    assert figures["exchange_median_first_answer"] == Decimal("5.0")  # median of 2, 5 and 30 hours


def test_no_question_gives_no_median():
    figures = compute(year_period(2025), now=NOW, compare=False).figures
    assert figures["exchange_questions"].value == 0
    assert figures["exchange_median_first_answer"].value is None
    assert figures["exchange_median_first_answer"].section == "exchange"
