import io

import pytest

from evaluations import demo
from evaluations.models import Answer, EvaluationSettings, Questionnaire, Response, Survey

pytestmark = pytest.mark.django_db


class Demo:
    def __init__(self):
        self.out = io.StringIO()

    def step(self, message):
        self.out.write(message + "\n")


def test_demo_answers_past_runs_once(run):
    demo.load(Demo())
    assert Questionnaire.objects.filter(default_for_kind="*").exists()  # the built-in defaults
    survey = Survey.objects.get(occurrence=run["occurrence"], stage="hot")
    assert survey.questionnaire.name == "Formation à chaud"  # the fixture's default wins over the built-in
    assert Survey.objects.filter(occurrence=run["occurrence"], stage="cold").exists()  # 2025: long past
    assert EvaluationSettings.objects.get(page=run["page"]).trainer_email
    assert Response.objects.exists() and Answer.objects.exists()
    assert not Response.objects.filter(registration=run["absent"]).exists()
    counts = (Survey.objects.count(), Response.objects.count(), Answer.objects.count())
    demo.load(Demo())
    assert (Survey.objects.count(), Response.objects.count(), Answer.objects.count()) == counts


def test_the_demo_site_shows_satisfaction_figures(demo_site):
    from django.utils import timezone

    from base.periods import year_period
    from reports.figures import compute

    trainings = Survey.objects.filter(occurrence__kind="training", responses__isnull=False).distinct()
    events = Survey.objects.exclude(occurrence__kind="training").filter(responses__isnull=False).distinct()
    assert trainings.exists() and events.exists()
    years = sorted({s.occurrence.start.year for s in trainings.select_related("occurrence")})
    report = compute(year_period(years[-1]), now=timezone.now())
    assert report.figures["satisfaction_responses"].value > 0
    assert report.figures["satisfaction_average"].value is not None
    assert report.breakdowns["satisfaction_by_training"].rows
