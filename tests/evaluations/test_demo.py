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
