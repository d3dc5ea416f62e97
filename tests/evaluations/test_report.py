"""The activity report's « Satisfaction des participants », computed by hand from a small known
fixture (2025 against 2024), and its query count, which does not grow with the answers."""

import datetime
import html
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
import time_machine

from base.periods import year_period
from evaluations.models import Stage
from reports.figures import compute
from tests.factories import StandardPageFactory
from tests.factories.attendance import OccurrenceFactory, RegistrationFactory, paris
from tests.factories.evaluations import QuestionnaireFactory, SurveyFactory, respond

from .conftest import attend

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)


def people(occurrence, count):
    registrations = [RegistrationFactory(occurrence=occurrence) for _ in range(count)]
    for registration in registrations:
        attend(registration)
    return registrations


@pytest.fixture
def known(home_page):
    """2025: a training run (3 present: ratings 5 and 3, recommend yes / no, one silent) and a
    thematic meeting (2 present: ratings 4 and 4, one yes). 2024: one run (1 present: 2, yes).
    Not counted: the run's « à froid » answer (1), and a survey of a date still to come."""
    questionnaire = QuestionnaireFactory()
    training = StandardPageFactory(parent=home_page, title="Clauses sociales")
    meeting = StandardPageFactory(parent=home_page, title="Rencontre textiles")
    run = OccurrenceFactory(page=training, kind="training", start=paris(2025, 3, 10), end=paris(2025, 3, 11, 17))
    a, b, _c = people(run, 3)
    survey = SurveyFactory(occurrence=run, questionnaire=questionnaire)
    respond(survey, a, rating=5, recommend=True, text="Parfait")
    respond(survey, b, rating=3, recommend=False)
    cold = SurveyFactory(occurrence=run, questionnaire=questionnaire, stage=Stage.COLD)
    respond(cold, a, rating=1)
    thematic = OccurrenceFactory(page=meeting, kind="thematic", start=paris(2025, 6, 5, 14), end=paris(2025, 6, 5, 17))
    d, e = people(thematic, 2)
    survey = SurveyFactory(occurrence=thematic, questionnaire=questionnaire)
    respond(survey, d, rating=4, recommend=True)
    respond(survey, e, rating=4)
    previous = OccurrenceFactory(page=training, kind="training", start=paris(2024, 3, 12), end=paris(2024, 3, 12, 17))
    (f,) = people(previous, 1)
    respond(SurveyFactory(occurrence=previous, questionnaire=questionnaire), f, rating=2, recommend=True)
    future = OccurrenceFactory(page=training, kind="training", start=paris(2026, 12, 1), end=paris(2026, 12, 1, 17))
    (g,) = people(future, 1)
    respond(SurveyFactory(occurrence=future, questionnaire=questionnaire), g, rating=1)
    return {"training": training}


def test_satisfaction_figures_against_the_hand_computed_fixture(known):
    report = compute(year_period(2025), now=NOW)
    figures = {key: (f.value, f.previous) for key, f in report.figures.items() if key.startswith("satisfaction")}
    assert figures == {
        "satisfaction_responses": (4, 1),
        "satisfaction_response_rate": (Decimal("80.0"), Decimal("100.0")),  # 4 of 5 present; 1 of 1
        "satisfaction_average": (Decimal("4.00"), Decimal("2.00")),  # (5+3+4+4)/4; 2
        "satisfaction_recommend": (Decimal("66.7"), Decimal("100.0")),  # 2 yes of 3 answers; 1 of 1
    }
    by_kind = {row.key: (row.values, row.previous) for row in report.breakdowns["satisfaction_by_kind"].rows}
    assert by_kind["training"][0] == {"responses": 2, "average": Decimal("4.00"), "recommend": Decimal("50.0")}
    assert by_kind["training"][1] == {"responses": 1, "average": Decimal("2.00"), "recommend": Decimal("100.0")}
    assert by_kind["thematic"][0] == {"responses": 2, "average": Decimal("4.00"), "recommend": Decimal("100.0")}
    by_training = report.breakdowns["satisfaction_by_training"].rows
    assert [(row.label, row.values["average"], row.previous["average"]) for row in by_training] == [
        ("Clauses sociales", Decimal("4.00"), Decimal("2.00"))
    ]
    assert report.sections["satisfaction"] == "Satisfaction des participants"


def test_satisfaction_queries_do_not_grow_with_answers(known):
    with CaptureQueriesContext(connection) as small:
        compute(year_period(2025), now=NOW)
    run = known["training"].occurrences.get(start=paris(2025, 3, 10))
    survey = run.surveys.get(stage=Stage.HOT)
    for registration in people(run, 30):
        respond(survey, registration, rating=4, recommend=True, text="Bien")
    with CaptureQueriesContext(connection) as large:
        compute(year_period(2025), now=NOW)
    assert len(large) == len(small)


@time_machine.travel(NOW, tick=False)
def test_the_report_page_shows_the_section_with_last_year(client, editor, known):
    client.force_login(editor)
    response = client.get(reverse("reports_report"), {"from": "2025-01-01", "to": "2025-12-31"})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Satisfaction des participants" in page and "Satisfaction par formation" in page
    assert "Clauses sociales" in page and "4\xa0/ 5" in page and "66,7\xa0%" in page
    export = client.get(reverse("reports_export", args=["csv"]), {"from": "2025-01-01", "to": "2025-12-31"})
    assert "Satisfaction moyenne" in export.content.decode("utf-8-sig")
