"""A participant answers the satisfaction survey from the e-mail's link on a phone (375 × 667),
changes an answer with the same link, and an editor reads the results screen."""

import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Site

import pytest

from evaluations.models import Answer, Response, Survey
from registrations.models import AttendanceStatus
from tests.factories import StandardPageFactory
from tests.factories.attendance import AttendanceFactory, OccurrenceFactory, RegistrationFactory
from tests.utils import click_and_wait

from .conftest import BrowserPage
from .test_attendance import log_in, page_errors

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ended_run(site_live):
    """A one-day training run that ended an hour ago, with two people present."""
    home = Site.objects.get(is_default_site=True).root_page
    page = StandardPageFactory(parent=home, title="Achats de restauration durable", slug="restauration-durable")
    end = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(hours=1)
    occurrence = OccurrenceFactory(page=page, kind="training", start=end - datetime.timedelta(hours=3), end=end)
    people = [
        RegistrationFactory(
            occurrence=occurrence, first_name=first, last_name=last, email=f"{first.lower()}@exemple.fr"
        )
        for first, last in (("Maëlle", "Riou"), ("Hugo", "Benoît"))
    ]
    for person in people:
        for part in occurrence.parts.all():
            AttendanceFactory(registration=person, part=part, status=AttendanceStatus.PRESENT)
    return occurrence, people


@pytest.fixture
def small_phone(browser, site_live):
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 375, "height": 667}, is_mobile=True
    )
    yield BrowserPage(context.new_page(), site_live.url)
    context.close()


def test_answer_from_the_email_on_a_phone_then_read_the_results(small_phone, browser_page, ended_run):
    occurrence, (maelle, _hugo) = ended_run
    mail.outbox.clear()
    call_command("send_evaluations", stdout=io.StringIO())
    Survey.objects.filter(occurrence=occurrence).update(invitations_confirmed_at=timezone.now())
    call_command("send_evaluations", stdout=io.StringIO())
    message = next(m for m in mail.outbox if m.to == [maelle.email])
    link = message.body.split("Donner mon avis : ")[1].split()[0]
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    page = small_phone.page
    response = small_phone.goto(path)
    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text().startswith("Votre avis")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the survey scrolls sideways on a phone"
    questions = Survey.objects.get(occurrence=occurrence).questionnaire.question_list()
    ratings = [qid for qid, kind, _v in questions if kind == "rating"]
    for qid in ratings:
        page.locator(f"input[name='q-{qid}'][value='4']").check()
    choice = next((qid, value) for qid, kind, value in questions if kind == "choice")
    page.get_by_label(str(choice[1]["choices"][0]), exact=True).check()
    recommend = next(qid for qid, kind, _v in questions if kind == "recommend")
    page.locator(f"input[name='q-{recommend}'][value='oui']").check()
    text = next(qid for qid, kind, _v in questions if kind == "text")
    page.locator(f"#id_q-{text}").fill("Des exemples concrets, merci !")
    small_phone.screenshot("evaluation-telephone")
    assert small_phone.accessibility_violations() == []
    click_and_wait(page.get_by_role("button", name="Envoyer mes réponses"))
    assert "Merci, vos réponses sont enregistrées." in page.content()
    small_phone.screenshot("evaluation-enregistree")

    # The same link, later: the answers are there and can be changed.
    small_phone.goto(path)
    assert page.locator(f"input[name='q-{ratings[0]}'][value='4']").is_checked()
    page.locator(f"input[name='q-{ratings[0]}'][value='5']").check()
    click_and_wait(page.get_by_role("button", name="Mettre à jour mes réponses"))
    assert "Merci" in page.content()
    assert Response.objects.filter(registration=maelle).count() == 1
    assert Answer.objects.get(response__registration=maelle, question_id=ratings[0]).rating == 5
    assert page_errors(small_phone) == []

    # The editor reads the results.
    survey = Survey.objects.get(occurrence=occurrence)
    log_in(browser_page)
    response = browser_page.goto(f"/admin/evaluations/{survey.pk}/")
    assert response.status == 200
    desktop = browser_page.page
    assert "50,0 %" in desktop.content()  # one answer, two people present
    assert desktop.locator("svg[role=img] title").count() >= len(ratings)
    assert "Des exemples concrets, merci !" in desktop.content()
    browser_page.screenshot("evaluation-resultats")
    assert browser_page.accessibility_violations() == []
    assert page_errors(browser_page) == []
