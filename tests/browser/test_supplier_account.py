"""In the browser: a supplier contact claims its company (claim → e-mail link → an editor
approves → the contact updates the profile), and a member cancels from « Mon compte » after
reading what it entails."""

import re

from django.core import mail
from django.utils import timezone

import pytest

from members.models import Supplier, User
from registrations.models import Registration
from tests.browser.conftest import BrowserPage
from tests.utils import click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "reseco-demo-2026"


@pytest.fixture
def context_page(browser, site_live):
    """A new browser (its own cookies) per person; axe-core needs the CSP bypassed (TRAPS.md)."""
    contexts = []

    def open_page():
        context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", bypass_csp=True)
        contexts.append(context)
        return BrowserPage(context.new_page(), site_live.url)

    yield open_page
    for context in contexts:
        context.close()


def site_login(browser_page, email):
    page = browser_page.page
    browser_page.goto("/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    click_and_wait(page.get_by_role("button", name="Se connecter"))


def admin_login(browser_page, email="editeur@reseco.fr"):
    page = browser_page.page
    browser_page.goto("/admin/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    click_and_wait(page.locator("form button[type=submit]").first)
    assert "/admin/login/" not in page.url


def test_supplier_claims_its_company_an_editor_approves_it_edits_the_profile(context_page):
    contact = User.objects.select_related("supplier").get(email="fournisseur@textiles-ouest.fr")
    company = contact.supplier
    supplier = context_page()
    page = supplier.page
    site_login(supplier, contact.email)
    supplier.goto("/compte/")
    click_and_wait(page.get_by_role("link", name="Représenter mon entreprise"))
    page.get_by_label("SIRET de l'entreprise").fill("123")
    click_and_wait(page.get_by_role("button", name="Demander à représenter cette entreprise"))
    assert "SIRET" in page.locator("#erreurs").inner_text()  # a French error next to the field
    assert supplier.accessibility_violations() == []
    page.get_by_label("SIRET de l'entreprise").fill(company.siret)
    click_and_wait(page.get_by_role("button", name="Demander à représenter cette entreprise"))
    assert "Un e-mail vous a été envoyé" in page.content()
    link = re.search(r"https?://\S+(/compte/entreprise/verifier/\S+/)", mail.outbox[-1].body).group(1)
    supplier.goto(link)
    assert "Adresse vérifiée" in page.content()

    editor = context_page()
    admin_login(editor)
    editor.goto("/admin/reseau/revendications/")
    assert contact.email in editor.page.content()
    claim = contact.claims.get()
    editor.goto(f"/admin/reseau/revendications/{claim.pk}/decider/")
    assert "pas sur le domaine" in editor.page.content()  # the demo company has no website yet
    editor.page.get_by_label("Message à la personne (facultatif)").fill("Bienvenue.")
    click_and_wait(editor.page.get_by_role("button", name="Accepter"))
    assert "Décision enregistrée" in editor.page.content()
    editor.screenshot("revendication-acceptee")

    supplier.goto("/compte/")
    click_and_wait(page.get_by_role("link", name="Mettre à jour la fiche de mon entreprise"))
    page.get_by_label("Site web").fill("https://www.textiles-ouest.fr")
    page.get_by_label("Présentation").fill("Confection de vêtements de travail en fibres recyclées.")
    click_and_wait(page.get_by_role("button", name="Enregistrer la fiche"))
    assert "La fiche de votre entreprise est à jour" in page.content()
    company = Supplier.objects.get(pk=company.pk)
    assert company.website == "https://www.textiles-ouest.fr" and "fibres recyclées" in company.description
    supplier.goto(f"/compte/entreprise/{company.pk}/")
    assert supplier.accessibility_violations() == []
    supplier.screenshot("fiche-entreprise")
    assert [e for e in supplier.console_errors if "status of 400" not in e] == []


def test_member_cancels_from_my_account_after_reading_the_consequence(context_page):
    member = context_page()
    page = member.page
    registration = (
        Registration.objects.filter(
            user__email="membre@nantes.fr", status="confirmed", occurrence__start__gt=timezone.now()
        )
        .select_related("occurrence__page")
        .order_by("occurrence__start")
        .first()
    )
    assert registration is not None, "la démo doit inscrire membre@nantes.fr à une date à venir"
    site_login(member, "membre@nantes.fr")
    member.goto("/compte/")
    title = registration.occurrence.page.title
    click_and_wait(page.get_by_role("link", name=f"Annuler mon inscription à « {title} »").first)
    assert "Ce que l'annulation entraîne" in page.content()
    registration.refresh_from_db()
    assert registration.status == "confirmed"  # the link only asks
    assert member.accessibility_violations() == []
    member.screenshot("annulation-mon-compte")
    click_and_wait(page.get_by_role("button", name="Oui, annuler mon inscription"))
    assert "Votre inscription est annulée" in page.content()
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_editor_compares_an_application_with_the_stored_company(context_page):
    from registrations.models import SubmittedCompany

    submitted = SubmittedCompany.objects.select_related("registration").get(city="Angers")  # the demo's proposal
    stored = Supplier.objects.get(siret=submitted.siret)
    editor = context_page()
    page = editor.page
    admin_login(editor)
    editor.goto(f"/admin/inscriptions/{submitted.registration.occurrence_id}/candidatures/")
    click_and_wait(page.get_by_role("link", name="Comparer avec la fiche enregistrée").first)
    assert submitted.website in page.content() and "Angers" in page.content()
    editor.screenshot("candidature-comparer")
    page.get_by_label("Reprendre : site web").check()
    click_and_wait(page.get_by_role("button", name="Reprendre les champs cochés"))
    assert "Fiche de l'entreprise mise à jour" in page.content()
    stored.refresh_from_db()
    assert stored.website == submitted.website and stored.city != "Angers"  # only the ticked field
