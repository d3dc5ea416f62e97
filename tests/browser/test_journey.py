"""First journey: the home page renders, a member logs in and reaches a members-only page."""

import pytest

from tests.utils import click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_PAGES = [
    "/",
    "/agenda/",
    "/formations/",
    "/groupes-de-travail/",
    "/groupes-de-travail/construction/",
    "/ressources/",
    "/recherche/?q=textiles",
    "/compte/connexion/",
    "/mentions-legales/",
]


def test_member_journey(browser_page):
    page = browser_page.page
    response = browser_page.goto("/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Achetons responsable, ensemble"
    browser_page.screenshot("accueil")

    browser_page.goto("/espace-membres/")
    assert "/compte/connexion/" in page.url
    page.get_by_label("Adresse électronique").fill("membre@nantes.fr")
    page.get_by_label("Mot de passe").fill("reseco-demo-2026")
    click_and_wait(page.get_by_role("button", name="Se connecter"))
    assert page.url.endswith("/espace-membres/")
    assert page.locator("h1").inner_text() == "Espace membres"
    browser_page.screenshot("espace-membres")

    browser_page.goto("/compte/")
    assert "Ville de Nantes" in page.content()
    # the personal feed: subscription links (webcal, Google, Outlook) with their instructions
    create = page.get_by_role("button", name="Créer mon lien d'agenda personnel")
    if create.count():
        with page.expect_navigation():
            create.click()
    assert page.locator('a[href^="webcal://"][href*="/calendrier/personnel/"]').is_visible()
    assert page.get_by_role("link", name="Google Agenda").is_visible()
    assert browser_page.accessibility_violations() == []
    assert browser_page.console_errors == []


def test_keyboard_user_reaches_content_with_skip_link(browser_page):
    browser_page.goto("/")
    browser_page.page.keyboard.press("Tab")
    focused = browser_page.page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Aller au contenu"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_serious_accessibility_violation(browser_page, path):
    response = browser_page.goto(path)
    assert response.status == 200
    assert browser_page.accessibility_violations() == []
    assert browser_page.console_errors == []


def test_home_page_on_a_phone(phone_page):
    phone_page.goto("/")
    width = phone_page.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
    assert phone_page.accessibility_violations() == []
    phone_page.screenshot("accueil-mobile")
