"""Accounts in a browser (demo site): request → approval → first login; invitation → password;
the référent's « Mon organisation »; a public account registering for a paid run by invoice."""

import re

from django.core import mail

import pytest

from accounts.models import AccountRequest, Referent
from members.models import User
from tests.browser.conftest import BrowserPage
from tests.utils import click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)
DEMO_PASSWORD = "reseco-demo-2026"
NEW_PASSWORD = "un-mot-de-passe-solide-42"


@pytest.fixture(autouse=True)
def fresh_content_types():
    """The previous live-server test flushed the database: forget the content-type cache."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture
def browser_page(browser, site_live):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", bypass_csp=True)
    yield BrowserPage(context.new_page(), site_live.url)
    context.close()


def last_link(to):
    message = [m for m in mail.outbox if m.to == [to]][-1]
    return re.search(r"http://\S+?(/compte/\S+)", message.body).group(1)


def errors(browser_page):
    """Console errors, except admin avatars fetched from Gravatar (no DNS in the sandbox)."""
    return [e for e in browser_page.console_errors if "ERR_NAME_NOT_RESOLVED" not in e]


def admin_log_in(browser_page, email="editeur@reseco.fr"):
    page = browser_page.page
    browser_page.goto("/admin/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    click_and_wait(page.locator("form button[type=submit]").first)
    assert "/admin/login/" not in page.url


def site_log_in(browser_page, email):
    page = browser_page.page
    browser_page.goto("/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    click_and_wait(page.get_by_role("button", name="Se connecter"))


def choose_password(browser_page, link):
    page = browser_page.page
    browser_page.goto(link)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    click_and_wait(page.get_by_role("button", name="Enregistrer et me connecter"))


def test_request_approval_and_first_login(browser_page, browser, site_live):
    page = browser_page.page
    browser_page.goto("/compte/connexion/")
    click_and_wait(page.get_by_role("link", name="Demander un compte (agents des collectivités membres)"))
    page.locator("#id_first_name").fill("Léa")
    page.locator("#id_last_name").fill("Bernard")
    page.locator("#id_email").fill("lea.bernard@nantes.fr")
    page.locator("#id_organisation").select_option(label="Ville de Nantes")
    page.locator("#id_job_title").fill("Acheteuse")
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("compte-demande")
    click_and_wait(page.get_by_role("button", name="Envoyer ma demande"))
    assert "Vérifiez votre messagerie" in page.content()
    browser_page.goto(last_link("lea.bernard@nantes.fr"))
    assert "Demande reçue" in page.content()

    editor = browser.new_context(locale="fr-FR", bypass_csp=True)
    editor_page = BrowserPage(editor.new_page(), site_live.url)
    admin_log_in(editor_page)
    editor_page.goto("/admin/reseau/demandes-de-compte/")
    assert "Ville de Nantes" in editor_page.page.content()  # asked for, and suggested by nantes.fr
    editor_page.screenshot("admin-demandes-de-compte")
    editor_page.page.get_by_role("link", name="Léa Bernard").click()
    click_and_wait(editor_page.page.get_by_role("button", name="Accepter et envoyer le lien"))
    assert errors(editor_page) == []
    editor.close()

    choose_password(browser_page, last_link("lea.bernard@nantes.fr"))
    assert page.url.endswith("/compte/")
    assert "Ville de Nantes" in page.content() and "lea.bernard@nantes.fr" in page.content()
    assert User.objects.get(email="lea.bernard@nantes.fr").is_member
    assert browser_page.console_errors == []


def test_invitation_then_password(browser_page, browser, site_live):
    editor = browser.new_context(locale="fr-FR", bypass_csp=True)
    editor_page = BrowserPage(editor.new_page(), site_live.url)
    admin_log_in(editor_page)
    editor_page.goto("/admin/reseau/demandes-de-compte/inviter/")
    form = editor_page.page
    form.locator("#id_first_name").fill("Hugo")
    form.locator("#id_last_name").fill("Leroy")
    form.locator("#id_email").fill("hugo.leroy@rennes.fr")
    form.locator("#id_organisation").select_option(label="Rennes Métropole")
    editor_page.screenshot("admin-inviter")
    click_and_wait(form.get_by_role("button", name="Envoyer l'invitation"))
    assert "Invitation envoyée" in form.content()
    assert errors(editor_page) == []
    editor.close()

    page = browser_page.page
    choose_password(browser_page, last_link("hugo.leroy@rennes.fr"))
    assert page.url.endswith("/compte/") and "Rennes Métropole" in page.content()
    browser_page.goto(last_link("hugo.leroy@rennes.fr"))  # the link served once
    assert "Ce lien n'est plus valable" in page.content()


def test_referent_sees_and_acts_for_the_organisation(browser_page):
    member = User.objects.get(email="membre@nantes.fr")
    Referent.objects.get_or_create(organisation=member.organisation, user=member)
    AccountRequest.objects.create(
        first_name="Inès",
        last_name="Morel",
        email="ines.morel@nantes.fr",
        organisation=member.organisation,
        job_title="Juriste",
    )
    page = browser_page.page
    site_log_in(browser_page, "membre@nantes.fr")
    browser_page.goto("/compte/")
    click_and_wait(page.get_by_role("link", name="Gérer mon organisation"))
    content = page.content()
    assert "Comptes de mes collègues" in content and "Inscriptions de l'organisation" in content
    assert "Factures et avoirs" in content and "Attestations de présence" in content
    assert "rennes.fr" not in content
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("compte-mon-organisation")
    click_and_wait(page.get_by_role("button", name="Accepter Inès"))
    assert "ines.morel@nantes.fr a reçu un lien" in page.content()

    page.get_by_role("link", name="Modifier les coordonnées de facturation").click()
    page.locator("#id_entity").fill("Ville de Nantes — service achats")
    page.locator("#id_siret").fill("214 401 093 00015")
    page.locator("#id_address").fill("2 rue de l'Hôtel de Ville\n44000 Nantes")
    click_and_wait(page.get_by_role("button", name="Enregistrer"))
    assert "Coordonnées de facturation enregistrées" in page.content()
    assert browser_page.console_errors == []


def test_public_account_registers_for_a_paid_run_by_invoice(browser_page):
    page = browser_page.page
    browser_page.goto("/formations/clauses-sociales/")
    click_and_wait(page.locator(".training__runs a[href*='/payments/formation/']").first)
    assert "tarif non-membre : 360" in page.content()  # 300 € HT + 20 % VAT
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("formation-creer-un-compte")
    click_and_wait(page.get_by_role("link", name="Créer un compte", exact=True))
    page.locator("#id_first_name").fill("Alex")
    page.locator("#id_last_name").fill("Roy")
    page.locator("#id_email").fill("alex.roy@exemple.org")
    click_and_wait(page.get_by_role("button", name="Créer mon compte"))
    assert "Vérifiez votre messagerie" in page.content()

    browser_page.goto(last_link("alex.roy@exemple.org"))
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    click_and_wait(page.get_by_role("button", name="Enregistrer et me connecter"))
    assert "/payments/formation/" in page.url and "360,00 €" in page.content()
    page.locator("#id_billing_entity").fill("Association Roy")
    page.get_by_label("SIRET de l'entité facturée").fill("214 900 995 00017")
    page.get_by_label("Adresse de facturation").fill("1 rue\n49300 Cholet")
    page.get_by_label("Numéro de bon de commande").fill("BC-1")
    click_and_wait(page.get_by_role("button", name="M'inscrire et recevoir la facture"))
    assert "Inscription confirmée" in page.content() and "Télécharger la facture FA-" in page.content()
    assert browser_page.console_errors == []
