"""The survey page of the personal link, the editors' results screens (query counts constant for
10 and 1,000 participants), the XLSX export and the survey offered on the spot at check-in."""

import datetime
import html
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
import time_machine
from openpyxl import load_workbook

from attendance.services import checkin_token
from evaluations import services
from evaluations.models import Answer, EvaluationSettings, Response
from registrations.models import Attendance, AttendanceStatus, Registration, RegistrationSource, RegistrationStatus
from tests.factories import MemberFactory
from tests.factories.attendance import RegistrationFactory, paris
from tests.factories.evaluations import CHOICE, RATING, RECOMMEND, TEXT, SurveyFactory, respond
from tests.utils import assert_sent_to_admin_login

pytestmark = pytest.mark.django_db

AFTER_END = paris(2025, 5, 13, 18)


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def survey(run):
    return SurveyFactory(occurrence=run["occurrence"])


def link(survey, registration):
    with time_machine.travel(AFTER_END, tick=False):
        return reverse("evaluations:answer", kwargs={"token": services.survey_token(survey, registration)})


@time_machine.travel(AFTER_END, tick=False)
def test_answer_then_change_with_the_same_link(client, run, survey):
    url = link(survey, run["anne"])
    page = client.get(url)
    assert page.status_code == 200
    html = text(page)
    assert "Satisfaction générale" in html and 'name="q-q-rating"' in html and "<legend>" in html
    response = client.post(url, {"q-" + RATING: "4", "q-" + TEXT: "Bien", "q-" + RECOMMEND: "oui"})
    assert response.status_code == 200
    assert "vos réponses sont enregistrées" in text(response)
    again = text(client.get(url))
    assert 'value="4" checked' in again and "Bien</textarea>" in again and "Mettre à jour" in again
    client.post(url, {"q-" + RATING: "5", "q-" + CHOICE: "Adaptée"})
    assert Response.objects.count() == 1
    assert set(Answer.objects.values_list("question_id", flat=True)) == {RATING, CHOICE}


def test_bad_input_keeps_what_was_typed(client, run, survey):
    url = link(survey, run["anne"])
    long_text = "Très long " * 300
    with time_machine.travel(AFTER_END, tick=False):
        response = client.post(url, {"q-" + RATING: "9", "q-" + TEXT: long_text, "q-" + CHOICE: "Adaptée"})
        unknown = client.post(url, {"q-" + RATING: "3", "q-ghost": "5"})
    assert response.status_code == 400
    html = text(response)
    assert "Choisissez une note entre 1 et 5." in html and "raccourcissez-la" in html
    assert long_text.strip() in html and 'value="Adaptée" checked' in html  # nothing lost
    assert unknown.status_code == 400 and "Le questionnaire a changé" in text(unknown)
    assert not Response.objects.exists()


def test_forged_closed_and_expired_links(client, run, survey):
    url = link(survey, run["anne"])
    with time_machine.travel(AFTER_END, tick=False):
        client.post(url, {"q-" + RATING: "4"})
        forged = client.get(url[:-3] + "zz/")
    assert forged.status_code == 404 and "n'est pas valide" in text(forged)
    with time_machine.travel(survey.closes_at + datetime.timedelta(hours=1), tick=False):
        closed_get = client.get(url)
        closed_post = client.post(url, {"q-" + RATING: "1"})
    assert closed_get.status_code == 410 and "est close depuis le" in text(closed_get)
    assert closed_post.status_code == 410
    assert Answer.objects.get().rating == 4
    with time_machine.travel(AFTER_END + services.TOKEN_MAX_AGE + datetime.timedelta(days=2), tick=False):
        expired = client.get(url)
    assert expired.status_code == 410 and "a expiré" in text(expired)


def test_results_need_the_staff(client, survey):
    url = reverse("evaluations_admin:survey", kwargs={"survey_id": survey.pk})
    assert_sent_to_admin_login(client.get(url), url)
    client.force_login(MemberFactory())
    assert client.get(url).status_code in (302, 403)


def _participants(run, survey, count):
    """``count`` more people present, each answering: built and inserted in bulk (a few queries),
    so that 1,000 participants take well under a second."""
    occurrence = run["occurrence"]
    parts = list(occurrence.parts.all())
    start = Registration.objects.count()
    registrations = Registration.objects.bulk_create(
        [
            Registration(
                occurrence=occurrence,
                first_name="Camille",
                last_name=f"Participante {start + n}",
                email=f"participante{start + n}@exemple.fr",
                status=RegistrationStatus.CONFIRMED,
                source=RegistrationSource.SELF,
            )
            for n in range(count)
        ]
    )
    Attendance.objects.bulk_create(
        [Attendance(registration=r, part=p, status=AttendanceStatus.PRESENT) for r in registrations for p in parts]
    )
    when = survey.opens_at + datetime.timedelta(hours=1)
    responses = Response.objects.bulk_create(
        [Response(survey=survey, registration=r, submitted_at=when, updated_at=when) for r in registrations]
    )
    answers = []
    for index, response in enumerate(responses):
        answers += [
            Answer(response=response, question_id=RATING, question_type="rating", rating=index % 5 + 1),
            Answer(response=response, question_id=CHOICE, question_type="choice", choice="Adaptée"),
            Answer(response=response, question_id=TEXT, question_type="text", text=f"Commentaire {index}"),
            Answer(response=response, question_id=RECOMMEND, question_type="recommend", recommend=index % 2 == 0),
        ]
    Answer.objects.bulk_create(answers)


def test_results_screen_and_export(client, editor, run, survey):
    respond(survey, run["anne"], rating=5, choice="Adaptée", text="=1+1 formidable", recommend=True)
    respond(survey, run["paul"], rating=2, choice="Trop longue", recommend=False)
    client.force_login(editor)
    response = client.get(reverse("evaluations_admin:survey", kwargs={"survey_id": survey.pk}))
    assert response.status_code == 200
    html = text(response)
    assert "100,0 %" in html or "100.0 %" in html  # 2 responses, 2 people present
    assert "3,50 / 5" in html or "3.50 / 5" in html
    assert 'role="img"' in html and "<desc" in html  # charts with a text alternative
    assert "=1+1 formidable" in html and "Anne" not in html  # comments anonymous by default
    EvaluationSettings.objects.create(page=run["page"], anonymous_comments=False)
    assert "Anne Martin" in text(client.get(reverse("evaluations_admin:survey", kwargs={"survey_id": survey.pk})))
    page = client.get(reverse("evaluations_admin:page", kwargs={"page_id": run["page"].pk}))
    assert page.status_code == 200 and "1 session évaluée" in text(page)
    export = client.get(reverse("evaluations_admin:survey_export", kwargs={"survey_id": survey.pk}))
    assert export.status_code == 200
    workbook = load_workbook(io.BytesIO(export.content))
    summary = list(workbook["Synthèse"].iter_rows(values_only=True))
    assert ("Satisfaction générale", "rating", None, 2, None, 3.5) in summary
    comments = workbook["Commentaires"]
    assert comments["D2"].value == "=1+1 formidable" and comments["D2"].data_type == "s"  # never a formula
    index = client.get(reverse("evaluations_admin:index"))
    assert index.status_code == 200 and "2 / 0" in text(index)


def test_results_and_exports_cost_the_same_queries_for_10_and_1000_participants(client, editor, run, survey):
    client.force_login(editor)
    urls = [
        reverse("evaluations_admin:survey", kwargs={"survey_id": survey.pk}),
        reverse("evaluations_admin:page", kwargs={"page_id": run["page"].pk}),
        reverse("evaluations_admin:survey_export", kwargs={"survey_id": survey.pk}),
        reverse("evaluations_admin:page_export", kwargs={"page_id": run["page"].pk}),
    ]
    client.get(urls[0])  # warm the admin's per-process caches
    counts = []
    for count in (10, 990):
        _participants(run, survey, count)
        these = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
            these.append(len(queries))
        counts.append(these)
    assert counts[0] == counts[1]
    assert Response.objects.count() == 1000
    summary = list(load_workbook(io.BytesIO(response.content))["Synthèse"].iter_rows(values_only=True))
    assert ("Réponses", 1000, None, None, None, None) in summary
    assert ("Satisfaction générale", "rating", None, 1000, None, 3.0) in summary


@time_machine.travel(paris(2025, 5, 13, 14), tick=False)
def test_check_in_on_the_last_day_offers_the_survey(client, editor, run):
    client.force_login(editor)
    newcomer = RegistrationFactory(occurrence=run["occurrence"], email="new@exemple.fr")
    response = client.get(reverse("attendance_admin:checkin", args=[checkin_token(newcomer)]))
    assert response.status_code == 200
    html = text(response)
    assert "Évaluation sur place" in html and "<svg" in html
    survey_link = html.split('href="')[-1].split('"')[0]
    assert "/evaluation/" in survey_link and "sur_place=1" in survey_link
    client.logout()
    answered = client.post(survey_link.split("http://")[-1].split("/", 1)[-1].join(["/", ""]), {"q-" + RATING: "5"})
    assert answered.status_code == 200
    assert Response.objects.get().on_site is True


@time_machine.travel(paris(2025, 5, 12, 10), tick=False)
def test_check_in_on_the_first_day_does_not(client, editor, run):
    client.force_login(editor)
    newcomer = RegistrationFactory(occurrence=run["occurrence"], email="new@exemple.fr")
    html = text(client.get(reverse("attendance_admin:checkin", args=[checkin_token(newcomer)])))
    assert "Présence enregistrée" in html and "Évaluation sur place" not in html
