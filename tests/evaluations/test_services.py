"""The rules of the surveys: who is invited and when (« à chaud », « à froid »), once; links
(forged, closed, expired); answering once and updating until the survey closes; bad answers."""

import datetime
import io

from django.core import mail, signing
from django.core.management import call_command
from django.utils import timezone

import pytest
import time_machine

from evaluations import services
from evaluations.models import Answer, EvaluationSettings, Invitation, Response, Stage, Survey
from evaluations.services import EvaluationError, InvalidAnswers
from tests.factories import StandardPageFactory
from tests.factories.attendance import OccurrenceFactory, RegistrationFactory, paris
from tests.factories.evaluations import CHOICE, RATING, RECOMMEND, TEXT, QuestionnaireFactory, SurveyFactory

from .conftest import attend

pytestmark = pytest.mark.django_db

AFTER_END = paris(2025, 5, 13, 18)


@pytest.fixture
def run_job(django_capture_on_commit_callbacks):
    """The periodic command, its e-mails sent as its transactions commit."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_evaluations", stdout=io.StringIO())
            # The editor has seen who the open surveys go to (tests/evaluations/test_confirmation.py).
            Survey.objects.filter(invitations_confirmed_at__isnull=True).update(invitations_confirmed_at=timezone.now())
            call_command("send_evaluations", stdout=io.StringIO())

    return run


def test_at_the_end_of_the_last_day_the_people_present_get_their_link_once(run, run_job):
    with time_machine.travel(paris(2025, 5, 13, 12), tick=False):
        run_job()  # the last day has not ended
    assert not Survey.objects.exists() and not mail.outbox
    with time_machine.travel(AFTER_END, tick=False):
        run_job()
        run_job()  # safe to run twice
    survey = Survey.objects.get()
    assert survey.stage == Stage.HOT and survey.questionnaire.name == "Formation à chaud"
    assert sorted(m.to[0] for m in mail.outbox) == ["anne@nantes.fr", "paul@rennes.fr"]  # not the absent one
    assert Invitation.objects.count() == 2
    message = mail.outbox[0]
    assert "Votre avis" in message.subject and "/evaluation/" in message.body
    token = message.body.split("/evaluation/")[1].split("/")[0]
    with time_machine.travel(AFTER_END, tick=False):
        found, registration = services.read_token(token)
    assert found == survey and registration.email == message.to[0]


def test_trainings_get_an_evaluation_a_froid_three_months_later(run, run_job):
    cold = QuestionnaireFactory(name="À froid", default_for_kind="training", stage=Stage.COLD)
    with time_machine.travel(AFTER_END, tick=False):
        run_job()
    mail.outbox.clear()
    with time_machine.travel(AFTER_END + datetime.timedelta(days=92), tick=False):
        run_job()
        run_job()
    survey = Survey.objects.get(stage=Stage.COLD)
    assert survey.questionnaire == cold
    assert sorted(m.to[0] for m in mail.outbox if "à froid" in m.subject) == ["anne@nantes.fr", "paul@rennes.fr"]


def test_events_are_evaluated_only_when_an_editor_turns_it_on(home_page, questionnaire, run_job):
    QuestionnaireFactory(name="Événement", default_for_kind="*")
    page = StandardPageFactory(parent=home_page, title="Rencontre textiles")
    occurrence = OccurrenceFactory(page=page, kind="thematic", start=paris(2025, 5, 13, 9), end=paris(2025, 5, 13, 12))
    attend(RegistrationFactory(occurrence=occurrence, email="leo@angers.fr"))
    with time_machine.travel(AFTER_END, tick=False):
        run_job()
        assert not mail.outbox
        EvaluationSettings.objects.create(page=page, enabled=True)
        run_job()
    assert [m.to for m in mail.outbox] == [["leo@angers.fr"]]
    assert Survey.objects.get().questionnaire.name == "Événement"


def test_a_page_may_choose_its_own_questionnaire(run):
    own = QuestionnaireFactory(name="Spécial ADEME")
    EvaluationSettings.objects.create(page=run["page"], questionnaire=own)
    assert services.questionnaire_for(run["occurrence"], Stage.HOT) == own


def test_closing_sends_the_trainer_a_summary_once_without_names(run, questionnaire, run_job):
    EvaluationSettings.objects.create(page=run["page"], trainer_email="formatrice@exemple.fr")
    survey = SurveyFactory(
        occurrence=run["occurrence"],
        questionnaire=Survey._meta.get_field("questionnaire").related_model.objects.get(name="Formation à chaud"),
    )
    with time_machine.travel(AFTER_END, tick=False):
        services.submit(survey, run["anne"], {"q-" + RATING: "4", "q-" + TEXT: "Très utile"})
    with time_machine.travel(survey.closes_at + datetime.timedelta(minutes=1), tick=False):
        run_job()
        run_job()
    summaries = [m for m in mail.outbox if m.to == ["formatrice@exemple.fr"]]
    assert len(summaries) == 1
    body = summaries[0].body
    assert "Très utile" in body and "Martin" not in body and "Moyenne : 4" in body
    assert "1 sur 2" in body


def test_submitting_again_updates_the_same_response_until_it_closes(run):
    survey = SurveyFactory(occurrence=run["occurrence"])
    with time_machine.travel(AFTER_END, tick=False):
        first, created = services.submit(survey, run["anne"], {"q-" + RATING: "2", "q-" + CHOICE: "Adaptée"})
        assert created
        second, created = services.submit(survey, run["anne"], {"q-" + RATING: "5", "q-" + RECOMMEND: "oui"})
    assert not created and first.pk == second.pk
    assert Response.objects.count() == 1
    assert {(a.question_id, a.rating, a.recommend, a.choice) for a in Answer.objects.all()} == {
        (RATING, 5, None, ""),
        (RECOMMEND, None, True, ""),
    }
    with time_machine.travel(survey.closes_at, tick=False), pytest.raises(EvaluationError) as error:
        services.submit(survey, run["anne"], {"q-" + RATING: "1"})
    assert error.value.code == "closed" and "close" in error.value.message
    assert Answer.objects.get(question_id=RATING).rating == 5  # nothing lost


@pytest.mark.parametrize(
    "data, key, code_text",
    [
        ({"q-" + RATING: "6"}, RATING, "entre 1 et 5"),
        ({"q-" + RATING: "0"}, RATING, "entre 1 et 5"),
        ({"q-" + RATING: "4,5"}, RATING, "entre 1 et 5"),
        ({"q-" + CHOICE: "Inventée"}, CHOICE, "réponses proposées"),
        ({"q-" + RECOMMEND: "peut-être"}, RECOMMEND, "oui ou par non"),
        ({"q-" + TEXT: "x" * 2001}, TEXT, "2000 caractères"),
        ({"q-" + RATING: "4", "q-inconnue": "3"}, "__all__", "questionnaire a changé"),
        ({}, "__all__", "au moins une question"),
    ],
)
def test_bad_answers_are_refused_in_french_and_nothing_is_written(run, data, key, code_text):
    survey = SurveyFactory(occurrence=run["occurrence"])
    with time_machine.travel(AFTER_END, tick=False), pytest.raises(InvalidAnswers) as error:
        services.submit(survey, run["anne"], data)
    assert error.value.code == "invalid"
    assert code_text in error.value.errors[key]
    assert not Response.objects.exists()


def test_editing_a_question_keeps_its_answers(run):
    survey = SurveyFactory(occurrence=run["occurrence"])
    with time_machine.travel(AFTER_END, tick=False):
        services.submit(survey, run["anne"], {"q-" + RATING: "4"})
    questionnaire = survey.questionnaire
    data = list(questionnaire.questions.raw_data)
    data[0]["value"]["label"] = "Satisfaction globale (reformulée)"
    questionnaire.questions = list(reversed(data))
    questionnaire.save()
    from evaluations.results import results

    survey.refresh_from_db()
    rating = next(q for q in results([survey]).questions if q.id == RATING)
    assert rating.label == "Satisfaction globale (reformulée)" and rating.average == 4


def test_links_forged_tampered_or_for_someone_else_are_refused(run):
    survey = SurveyFactory(occurrence=run["occurrence"])
    with time_machine.travel(AFTER_END, tick=False):
        token = services.survey_token(survey, run["anne"])
    forged = signing.dumps(
        {"s": survey.pk, "r": run["paul"].pk, "t": services._fingerprint(run["anne"])}, salt="evaluations.survey"
    )
    other_secret = signing.dumps({"s": survey.pk, "r": run["anne"].pk, "t": "x" * 12}, salt=services.TOKEN_SALT)
    with time_machine.travel(AFTER_END, tick=False):
        for bad in (
            token[:-2] + "xx",
            "n-importe-quoi",
            forged,
            other_secret,
            signing.dumps({"s": survey.pk}, salt=services.TOKEN_SALT),
        ):
            with pytest.raises(EvaluationError) as error:
                services.read_token(bad)
            assert error.value.code == "forged"
    with time_machine.travel(survey.closes_at + datetime.timedelta(days=1), tick=False):
        with pytest.raises(EvaluationError) as error:
            services.read_token(token)
        assert error.value.code == "closed"
    with time_machine.travel(AFTER_END + services.TOKEN_MAX_AGE + datetime.timedelta(days=1), tick=False):
        with pytest.raises(EvaluationError) as error:
            services.read_token(token)
        assert error.value.code == "expired"


def test_the_job_is_one_of_the_periodic_jobs():
    from home.management.commands.run_periodic_jobs import periodic_commands

    assert "send_evaluations" in periodic_commands()
