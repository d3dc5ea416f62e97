"""An editor takes attendance on a phone, checks someone in by QR code, and reads the report."""

import datetime

from django.utils import timezone

from wagtail.models import Site

import pytest

from attendance.services import checkin_url
from registrations.models import Attendance, RegistrationStatus
from registrations.schedule import sync_parts
from tests.factories import StandardPageFactory
from tests.factories.attendance import OccurrenceFactory, RegistrationFactory
from tests.utils import click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "reseco-demo-2026"


@pytest.fixture
def today_session(site_live):
    """A session happening now, with three confirmed people."""
    home = Site.objects.get(is_default_site=True).root_page
    page = StandardPageFactory(parent=home, title="Atelier clauses sociales", slug="atelier-clauses-sociales")
    start = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=30)
    occurrence = OccurrenceFactory(page=page, kind="thematic", start=start, end=start + datetime.timedelta(hours=2))
    sync_parts(occurrence)  # as the engine gives every date it creates (here at any hour of the day)
    people = [
        RegistrationFactory(
            occurrence=occurrence,
            first_name=first,
            last_name=last,
            email=f"{first.lower()}@exemple.fr",
            organisation_name=organisation,
            status=RegistrationStatus.CONFIRMED,
        )
        for first, last, organisation in (
            ("Nathalie", "Guérin", "Ville de Nantes"),
            ("Erwan", "Le Gall", "Brest Métropole"),
            ("Céline", "Fournier", "Ville de Blois"),
        )
    ]
    return occurrence, people


def page_errors(browser_page):
    """Console errors, except the admin's avatars fetched from Gravatar (no DNS in the sandbox)."""
    return [e for e in browser_page.console_errors if "ERR_NAME_NOT_RESOLVED" not in e]


def log_in(browser_page, email="editeur@reseco.fr"):
    page = browser_page.page
    browser_page.goto("/admin/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    click_and_wait(page.locator("form button[type=submit]").first)
    assert "/admin/login/" not in page.url


def test_editor_takes_attendance_on_a_phone(phone_page, today_session):
    occurrence, (nathalie, erwan, celine) = today_session
    page = phone_page.page
    log_in(phone_page)

    phone_page.goto(f"/admin/presences/{occurrence.pk}/")
    assert page.get_by_text("Atelier clauses sociales").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the sheet scrolls sideways on a phone"
    page.locator(f"input[name='status-{nathalie.pk}'][value='present']").check()
    page.locator(f"input[name='status-{erwan.pk}'][value='excused']").check()
    page.locator(f"#note-{erwan.pk}").fill("Malade, prévenu la veille")
    phone_page.screenshot("presences-telephone")
    click_and_wait(page.get_by_role("button", name="Enregistrer les présences"))
    assert "Présences enregistrées (2)" in page.content()
    assert dict(
        Attendance.objects.filter(part__occurrence=occurrence).values_list("registration__first_name", "status")
    ) == {
        "Nathalie": "present",
        "Erwan": "excused",
    }

    # Céline arrives: the phone's camera opens the URL of her QR code.
    response = phone_page.goto(checkin_url(celine).replace("http://testserver", ""))
    assert response.status == 200
    assert response.headers["permissions-policy"] == "camera=(self)"
    assert "Présence enregistrée" in page.content() and "Céline" in page.content()
    phone_page.screenshot("pointage-qr")
    phone_page.goto(checkin_url(celine).replace("http://testserver", ""))
    assert "Déjà pointé" in page.content()
    assert Attendance.objects.filter(registration=celine).count() == 1
    assert page_errors(phone_page) == []
    forged = phone_page.goto("/admin/presences/pointage/faux-code/")
    assert forged.status == 400 and "falsifié" in page.content()


def test_report_page_is_accessible(browser_page, today_session):
    log_in(browser_page, "admin@reseco.fr")
    year = timezone.localdate().year
    response = browser_page.goto(f"/admin/rapport/?from={year}-01-01&to={year}-12-31")
    assert response.status == 200
    page = browser_page.page
    assert page.get_by_role("heading", name="Participation", exact=True).is_visible()
    assert page.locator("svg[role=img] title").count() >= 1
    browser_page.screenshot("rapport-activite")
    page.locator("#section-time").scroll_into_view_if_needed()
    browser_page.screenshot("rapport-temps")
    assert browser_page.accessibility_violations() == []
    click_and_wait(page.get_by_role("link", name="Inscriptions confirmées").first)
    assert "ligne(s)" in page.content()
    browser_page.screenshot("rapport-detail")
    assert page_errors(browser_page) == []
    bad = browser_page.goto(f"/admin/rapport/?from={year}-12-31&to={year}-01-01")
    assert bad.status == 400 and "précède" in page.content()
