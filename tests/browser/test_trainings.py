"""Trainings in a browser: the catalogue, a training page, paying by invoice (demo site)."""

import pytest

from tests.browser.conftest import BrowserPage
from tests.utils import click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_content_types():
    """The previous live-server test flushed the database: content types come back with new ids,
    so the process-wide cache (used when the page tree is rebuilt) must be forgotten first."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def _context(browser, site_live, **options):
    # bypass_csp: axe-core is injected as an inline script, which the site's CSP forbids (TRAPS.md).
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", bypass_csp=True, **options)
    return context, BrowserPage(context.new_page(), site_live.url)


@pytest.fixture
def browser_page(browser, site_live):
    context, page = _context(browser, site_live)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, site_live):
    context, page = _context(browser, site_live, viewport={"width": 375, "height": 740}, is_mobile=True)
    yield page
    context.close()


def _log_in(browser_page, email):
    page = browser_page.page
    browser_page.goto("/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill("reseco-demo-2026")
    click_and_wait(page.get_by_role("button", name="Se connecter"))


def test_catalogue_and_training_page(browser_page):
    page = browser_page.page
    response = browser_page.goto("/formations/")
    assert response.status == 200
    assert page.locator('link[rel="alternate"][type="text/calendar"]').count() == 1
    cards = page.locator(".card-list > li.card")
    assert cards.count() == 3
    assert "places restantes" in page.content()
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("formations-catalogue")

    page.get_by_label("Format").select_option("online")
    click_and_wait(page.get_by_role("button", name="Filtrer"))
    assert page.locator(".card-list > li.card").count() == 1
    assert "Webinaires" in page.locator(".card-list").inner_text()

    browser_page.goto("/formations/achats-publics-durables-ademe/")
    assert "Jour 2 : rédiger le marché" in page.content()
    assert page.locator("img.partner__logo").count() == 1
    assert page.locator('link[rel="alternate"][type="text/calendar"]').count() == 1
    assert browser_page.accessibility_violations() == []
    assert browser_page.console_errors == []
    browser_page.screenshot("formation-ademe")


def test_non_member_pays_by_invoice(browser_page):
    page = browser_page.page
    _log_in(browser_page, "ancien@cholet.fr")
    browser_page.goto("/formations/clauses-sociales/")
    click_and_wait(page.locator(".training__runs a[href*='/payments/formation/']").first)
    assert "/payments/formation/" in page.url
    assert "tarif non-membre" in page.content()
    assert "360,00 €" in page.content()  # 300 € HT + 20 % VAT
    assert "Le paiement par carte n'est pas disponible" in page.content()  # no Stripe keys in tests
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("formation-paiement")

    # A bad SIRET is explained in French, next to the field.
    page.locator("#id_billing_entity").fill("Ville de Cholet")
    page.get_by_label("SIRET de l'entité facturée").fill("12345678901234")
    page.get_by_label("Adresse de facturation").fill("Hôtel de ville\n49300 Cholet")
    page.get_by_label("Numéro de bon de commande").fill("BC-CHOLET-12")
    click_and_wait(page.get_by_role("button", name="M'inscrire et recevoir la facture"))
    assert "sa clé de contrôle ne correspond pas" in page.content()
    browser_page.screenshot("formation-paiement-erreur")

    page.get_by_label("SIRET de l'entité facturée").fill("214 900 995 00017")
    click_and_wait(page.get_by_role("button", name="M'inscrire et recevoir la facture"))
    assert "/payments/paiement/" in page.url
    assert "Inscription confirmée" in page.content()
    assert "Télécharger la facture FA-" in page.content()
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("formation-facture")

    browser_page.goto("/compte/")
    assert "Mes factures" in page.content()
    # The only console message is the 400 answer to the bad SIRET, on purpose.
    assert [e for e in browser_page.console_errors if "status of 400" not in e] == []


def test_catalogue_on_a_phone(phone_page):
    phone_page.goto("/formations/achats-publics-durables-ademe/")
    width = phone_page.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
    phone_page.screenshot("formation-telephone")
