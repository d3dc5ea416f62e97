"""The visitor's path (issue 14) in a browser: the footer's « Plan du site » is a readable page,
the legal pages have real content, the guest form says what happens to a diet or allergy, a
supplier's application page says what is true. Axe-clean, screenshots in var/screenshots."""

import pytest

from members.audience import Audience
from members.validators import with_luhn_key
from registrations.models import Occurrence
from tests.utils import click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)


def test_site_map_legal_pages_diet_notice_and_application(browser_page):
    page = browser_page.page
    browser_page.goto("/")
    click_and_wait(page.locator("footer").get_by_role("link", name="Plan du site"))
    assert page.url.endswith("/plan-du-site/") and page.locator("h1").inner_text() == "Plan du site"
    site_map = page.locator(".site-map")
    for title in ("Agenda", "Groupes de travail", "Textiles", "Mentions légales", "Données personnelles"):
        assert site_map.get_by_role("link", name=title, exact=False).count() >= 1, title
    assert site_map.get_by_role("link", name="Espace membres").count() == 0
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("plan-du-site")

    click_and_wait(site_map.get_by_role("link", name="Déclaration d'accessibilité"))
    assert "partiellement conforme" in page.content() and page.get_by_role("heading", name="Voies de recours").count()
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("declaration-accessibilite")

    # The guest form: the diet question's notice is read with the field and links to the data page.
    occurrence = (
        Occurrence.objects.upcoming()
        .scheduled()
        .filter(audience=Audience.EVERYONE, registration_required=True, kind="awareness_day")
        .select_related("page")
        .first()
    )
    event = occurrence.page.specific
    event.registration_questions = ["dietary"]  # the demo's public day asks none: a meal is served
    event.save()
    browser_page.goto(f"/inscriptions/{occurrence.pk}/")
    diet = page.get_by_label("Régime alimentaire ou allergies")
    notice = page.locator(f"#{diet.get_attribute('aria-describedby')}")
    assert "uniquement à prévoir les repas" in notice.inner_text()
    click_and_wait(notice.get_by_role("link", name="Vos données personnelles"))
    assert page.url.endswith("/donnees-personnelles/")
    assert page.get_by_role("heading", name="Régimes alimentaires et allergies").count() == 1
    browser_page.screenshot("donnees-personnelles")

    # A supplier's application: the page promises an e-mail about the application's state.
    meeting = Occurrence.objects.upcoming().scheduled().filter(kind="market_engagement").first()
    browser_page.goto(f"/inscriptions/{meeting.pk}/candidature/")
    for field, value in {
        "siret": with_luhn_key(with_luhn_key("81234567") + "0002"),
        "company_name": "Atelier Test",
        "first_name": "Lou",
        "last_name": "Martin",
        "email": "lou@atelier-test.fr",
        "q_environment": "Coton recyclé.",
    }.items():
        page.locator(f"#id_{field}").fill(value)
    click_and_wait(page.get_by_role("button", name="Envoyer la candidature"))
    assert page.url.endswith("/candidature-recue/")
    assert "confirmez-la par le lien de l'e-mail" in page.content()
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("candidature-recue")
    assert browser_page.console_errors == []
