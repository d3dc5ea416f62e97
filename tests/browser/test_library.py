"""The library in a browser: filters, search with facets, a member asks the helpdesk a question;
axe-clean pages, screenshots in var/screenshots."""

import pytest

from tests.browser.conftest import BrowserPage
from tests.utils import click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)


# The public site sends a strict Content Security Policy: axe-core is injected with bypass_csp
# (TRAPS.md), which the shared fixtures do not set yet.
@pytest.fixture
def browser_page(browser, site_live):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", bypass_csp=True)
    yield BrowserPage(context.new_page(), site_live.url)
    context.close()


@pytest.fixture
def phone_page(browser, site_live):
    context = browser.new_context(
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        bypass_csp=True,
    )
    yield BrowserPage(context.new_page(), site_live.url)
    context.close()


def log_in(page, email="membre@nantes.fr"):
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill("reseco-demo-2026")
    click_and_wait(page.get_by_role("button", name="Se connecter"))


def test_library_filters(browser_page):
    page = browser_page.page
    assert browser_page.goto("/ressources/").status == 200
    assert page.locator(".card-list .card").count() == 10  # minutes are for members only
    page.get_by_label("Type").select_option(label="Retour d'expérience")
    click_and_wait(page.get_by_role("button", name="Filtrer"))
    assert "type=exemple" in page.url
    titles = page.locator(".card-list .card .card__title").all_inner_texts()
    assert len(titles) == 3 and any("photocopie" in t or "reprographie" in t for t in titles)
    page.get_by_label("Secteur").select_option(label="Nettoyage et produits d'entretien")
    click_and_wait(page.get_by_role("button", name="Filtrer"))
    assert "secteur=nettoyage" in page.url and "type=exemple" in page.url
    assert page.locator(".card-list .card").count() == 1
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("bibliotheque-filtres")

    click_and_wait(page.locator(".card-list .card a").first)
    assert "Rennes Métropole" in page.content()
    assert browser_page.accessibility_violations() == []
    assert browser_page.console_errors == []


def test_guide_with_criteria_and_members_documents(browser_page):
    page = browser_page.page
    browser_page.goto("/ressources/guide-restauration-collective-durable/")
    assert page.locator(".criterion").count() == 2
    assert "Critère d'attribution" in page.content() and "20 % de la note" in page.content()
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("guide-criteres")
    browser_page.goto("/ressources/modele-cctp-nettoyage/")
    assert "réservé aux membres" in page.content()
    assert page.locator(".document-list a.document-link").count() == 1


def test_search_with_facets(browser_page):
    page = browser_page.page
    browser_page.goto("/recherche/")
    page.get_by_label("Rechercher sur le site").fill("restauration")
    click_and_wait(page.get_by_role("button", name="Rechercher"))
    assert page.locator(".result-list mark").count() >= 1
    titles = page.locator(".result-list .card__title").all_inner_texts()
    assert any("restauration collective" in t.lower() for t in titles)
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("recherche")
    click_and_wait(page.locator(".facet-list a", has_text="Retour d'expérience"))
    assert "type=exemple" in page.url
    assert page.locator(".result-list .card__title").count() == 1
    assert browser_page.console_errors == []


def test_member_asks_a_question(browser_page, tmp_path):
    page = browser_page.page
    browser_page.goto("/assistance/")
    assert "/compte/connexion/" in page.url
    log_in(page)
    assert page.url.endswith("/assistance/")
    assert browser_page.accessibility_violations() == []
    page.get_by_label("Sujet").fill("Clause d'insertion en voirie")
    page.get_by_label("Secteur").select_option(label="Voirie et routes durables")
    page.get_by_label("Contexte du marché").fill("Marché de travaux de voirie, 2 M€ HT, procédure adaptée.")
    page.get_by_label("Votre question").fill("Quel volume d'heures d'insertion demander ?")
    attachment = tmp_path / "dce.pdf"
    attachment.write_bytes(b"%PDF-1.4\n% dossier de consultation\n")
    page.get_by_label("Pièces jointes").set_input_files(str(attachment))
    browser_page.screenshot("assistance-question")
    click_and_wait(page.get_by_role("button", name="Envoyer ma question"))
    assert "/assistance/questions/" in page.url
    assert "Quel volume d'heures" in page.content() and "dce.pdf" in page.content()
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("assistance-fil")
    browser_page.goto("/compte/")
    assert "Mes questions" in page.content() and "Clause d'insertion en voirie" in page.content()
    assert browser_page.console_errors == []


def test_wrong_attachment_is_explained(browser_page, tmp_path):
    page = browser_page.page
    browser_page.goto("/compte/connexion/?next=/assistance/")
    log_in(page)
    page.get_by_label("Sujet").fill("Test")
    page.get_by_label("Contexte du marché").fill("Contexte")
    page.get_by_label("Votre question").fill("Question")
    bad = tmp_path / "programme.exe"
    bad.write_bytes(b"MZ")
    page.get_by_label("Pièces jointes").set_input_files(str(bad))
    click_and_wait(page.get_by_role("button", name="Envoyer ma question"))
    assert "seuls les fichiers PDF, DOCX, ODT, XLSX, ODS le sont" in page.content()
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("assistance-erreur")


def test_search_on_a_phone(phone_page):
    phone_page.goto("/recherche/?q=nettoyage")
    width = phone_page.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
    assert phone_page.accessibility_violations() == []
    phone_page.screenshot("recherche-mobile")


def test_working_group_page_for_a_member(browser_page):
    page = browser_page.page
    browser_page.goto("/groupes-de-travail/construction/")
    assert "réservé" in page.locator(".members-only").inner_text()
    assert page.locator('link[rel="alternate"][type="text/calendar"]').count() == 1
    page.locator(".members-only a").click()  # the notice's own link brings the member back here
    log_in(page)
    assert page.url.endswith("/groupes-de-travail/construction/")
    content = page.content()
    assert "Angers Loire Métropole" in content and "Compte rendu — groupe Construction" in content
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("groupe-de-travail-membre")
    browser_page.goto("/groupes-de-travail/?statut=current")
    assert page.locator(".card").count() >= 1
    assert browser_page.accessibility_violations() == []


def test_visitor_is_told_of_members_only_minutes_and_logs_in(browser_page):
    """Issue 14: minutes exist but are members-only; the visitor is told how many and logs in."""
    page = browser_page.page
    browser_page.goto("/ressources/?type=compte-rendu")
    notice = page.locator(".members-only")
    assert "réservé" in notice.inner_text() and "0 ressource" in page.content()
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("bibliotheque-comptes-rendus-visiteur")
    click_and_wait(notice.locator("a"))
    log_in(page)
    assert page.url.endswith("/ressources/?type=compte-rendu")
    assert page.locator(".card-list .card").count() >= 1 and page.locator(".members-only").count() == 0
