"""Survey answers are personal data: in the person's export, and at erasure detached from the
person (names cleaned out of free texts) while the answers, and so the averages, stay."""

from decimal import Decimal

import pytest
import time_machine

from evaluations import services
from evaluations.models import Answer, Response
from evaluations.results import results
from personaldata.services import erase_email, erase_person, export_person
from tests.factories import EditorFactory, MemberFactory
from tests.factories.evaluations import RATING, SurveyFactory, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(run):
    member = MemberFactory(email="anne@nantes.fr", first_name="Anne", last_name="Martin")
    run["anne"].user = member
    run["anne"].save()
    survey = SurveyFactory(occurrence=run["occurrence"])
    respond(survey, run["anne"], rating=5, text="Anne Martin trouve que c'était très utile", recommend=True)
    respond(survey, run["paul"], rating=2, text="Trop long")
    return {"member": member, "survey": survey, **run}


def test_the_export_carries_the_persons_answers(answered):
    data = export_person(answered["member"])
    (entry,) = data["evaluations"]
    assert entry["activite"] == "Achats alimentaires durables" and entry["moment"] == "hot"
    answers = {a["question"]: a for a in entry["reponses"]}
    assert answers["Satisfaction générale"]["note"] == 5
    assert answers["Vos remarques"]["texte"].startswith("Anne Martin")


def test_erasure_detaches_the_person_and_keeps_the_averages(answered):
    survey = answered["survey"]
    with time_machine.travel(survey.opens_at, tick=False):
        old_link = services.survey_token(survey, answered["anne"])
    before = next(q for q in results([survey]).questions if q.id == RATING)
    erase_person(answered["member"], actor=EditorFactory())
    assert Response.objects.count() == 2
    assert Response.objects.filter(registration__isnull=True).count() == 1
    after = next(q for q in results([survey], with_names=True).questions if q.id == RATING)
    assert (after.average, after.count) == (before.average, before.count) == (Decimal("3.50"), 2)
    texts = set(Answer.objects.exclude(text="").values_list("text", flat=True))
    assert "Trop long" in texts
    assert not any("Anne" in text or "Martin" in text for text in texts)
    comments = next(q for q in results([survey], with_names=True).questions if q.type == "text").comments
    assert {author for author, _text, _date in comments} == {"", "Paul Durand"}  # no name left for Anne
    with time_machine.travel(survey.opens_at, tick=False), pytest.raises(services.EvaluationError) as error:
        services.read_token(old_link)  # would start a second response
    assert error.value.code == "forged"


def test_erasing_a_guest_by_address_detaches_too(answered):
    erase_email("paul@rennes.fr", actor=EditorFactory())
    assert Response.objects.filter(registration__isnull=True).count() == 1
    assert Answer.objects.filter(text="Trop long").exists()
