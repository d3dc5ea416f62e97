"""Factories for satisfaction surveys: a questionnaire with one question of each type (fixed
block ids), surveys of occurrences, and responses with their answers."""

import datetime

import factory
from factory.django import DjangoModelFactory

from evaluations.models import Answer, Questionnaire, Response, Stage, Survey

RATING, CHOICE, TEXT, RECOMMEND = "q-rating", "q-choice", "q-text", "q-recommend"


def questions():
    return [
        {"type": "rating", "id": RATING, "value": {"label": "Satisfaction générale", "help_text": ""}},
        {
            "type": "choice",
            "id": CHOICE,
            "value": {"label": "Durée", "choices": ["Trop courte", "Adaptée", "Trop longue"]},
        },
        {"type": "text", "id": TEXT, "value": {"label": "Vos remarques", "help_text": ""}},
        {"type": "recommend", "id": RECOMMEND, "value": {"label": "Recommanderiez-vous ?"}},
    ]


class QuestionnaireFactory(DjangoModelFactory):
    class Meta:
        model = Questionnaire

    name = factory.Sequence(lambda n: f"Questionnaire {n}")
    default_for_kind = ""
    stage = Stage.HOT
    questions = factory.LazyFunction(questions)


class SurveyFactory(DjangoModelFactory):
    class Meta:
        model = Survey

    occurrence = None
    stage = Stage.HOT
    questionnaire = factory.SubFactory(QuestionnaireFactory)
    opens_at = factory.LazyAttribute(lambda o: o.occurrence.end)
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + datetime.timedelta(days=21))


def respond(survey, registration, *, rating=None, choice="", text="", recommend=None, when=None):
    """A response with the given answers (question ids of ``questions()``)."""
    when = when or survey.opens_at + datetime.timedelta(hours=1)
    response = Response.objects.create(survey=survey, registration=registration, submitted_at=when, updated_at=when)
    rows = []
    if rating is not None:
        rows.append(Answer(response=response, question_id=RATING, question_type="rating", rating=rating))
    if choice:
        rows.append(Answer(response=response, question_id=CHOICE, question_type="choice", choice=choice))
    if text:
        rows.append(Answer(response=response, question_id=TEXT, question_type="text", text=text))
    if recommend is not None:
        rows.append(Answer(response=response, question_id=RECOMMEND, question_type="recommend", recommend=recommend))
    Answer.objects.bulk_create(rows)
    return response
