"""The members' exchange in a browser, on the demo site: a visitor and a supplier are refused;
Rennes asks a question; Nantes (daily digest of « restauration collective ») receives it in the
digest, opens it from the e-mail, answers and follows it; Rennes is told and marks the answer as
helpful. Pages axe-clean, screenshots in var/screenshots."""

import datetime
import re

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

import pytest

from exchange.models import Answer, Preference, Question
from tests.browser.conftest import BrowserPage
from tests.utils import click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def new_page(browser, site_live):
    contexts = []

    def make():
        context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", bypass_csp=True)
        contexts.append(context)
        return BrowserPage(context.new_page(), site_live.url)

    yield make
    for context in contexts:
        context.close()


def log_in(browser_page, email):
    page = browser_page.page
    browser_page.goto("/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill("reseco-demo-2026")
    click_and_wait(page.get_by_role("button", name="Se connecter"))


def test_question_asked_digested_answered_followed(new_page):
    visitor = new_page()
    visitor.goto("/entraide/")
    assert "/compte/connexion/" in visitor.page.url

    supplier = new_page()
    log_in(supplier, "fournisseur@textiles-ouest.fr")
    response = supplier.goto("/entraide/")
    assert response.status == 403 and "réservée aux agents des collectivités membres" in supplier.page.content()

    rennes = new_page()
    log_in(rennes, "membre@rennes.fr")
    assert rennes.goto("/entraide/").status == 200
    assert rennes.page.locator(".card-list .card").count() == 4  # the demo's questions
    assert rennes.accessibility_violations() == []
    rennes.screenshot("entraide-liste")
    click_and_wait(rennes.page.get_by_role("link", name="Poser une question aux membres"))
    rennes.page.get_by_role("textbox", name=re.compile(r"^Question")).fill(
        "Repas végétariens : quel critère pour les cantines ?"
    )
    rennes.page.get_by_label("Secteur").select_option(label="Alimentation et restauration collective")
    rennes.page.get_by_label("Type de procédure").select_option(label="Procédure adaptée (MAPA)")
    rennes.page.get_by_label("Précisions").fill("Nous voulons deux repas végétariens par semaine dans le marché.")
    assert rennes.accessibility_violations() == []
    rennes.screenshot("entraide-poser")
    click_and_wait(rennes.page.get_by_role("button", name="Publier ma question"))
    question = Question.objects.get(title__startswith="Repas végétariens")
    assert rennes.page.url.endswith(f"/entraide/questions/{question.pk}/")
    assert "Votre question est publiée" in rennes.page.content()

    # Nantes follows « restauration collective » with a daily digest: the periodic job sends it once
    Preference.objects.filter(user__email="membre@nantes.fr").update(
        last_digest_at=timezone.now() - datetime.timedelta(days=2)
    )
    mail.outbox.clear()
    call_command("send_exchange_digests")
    call_command("send_exchange_digests")
    digests = [m for m in mail.outbox if m.to == ["membre@nantes.fr"]]
    assert len(digests) == 1 and "nouvelle question aujourd'hui" in digests[0].subject
    link = re.search(r"https?://\S+(/entraide/questions/\d+/)", digests[0].body).group(1)

    nantes = new_page()
    log_in(nantes, "membre@nantes.fr")
    nantes.goto(link)
    assert "Repas végétariens" in nantes.page.content()
    click_and_wait(nantes.page.get_by_role("button", name="Suivre cette question"))
    assert nantes.page.get_by_role("button", name="Ne plus suivre cette question").is_visible()
    mail.outbox.clear()
    nantes.page.get_by_label("Votre réponse").fill("Nous l'avons mis en condition d'exécution, avec un plan de menus.")
    click_and_wait(nantes.page.get_by_role("button", name="Publier ma réponse"))
    answer = Answer.objects.get(question=question)
    assert [m.to for m in mail.outbox] == [["membre@rennes.fr"]]  # the author, never the writer
    assert "Nouvelle réponse" in mail.outbox[0].subject

    rennes.goto(f"/entraide/questions/{question.pk}/")
    click_and_wait(rennes.page.get_by_role("button", name="Cette réponse m'a aidé"))
    assert "A aidé l'auteur de la question" in rennes.page.content()
    answer.refresh_from_db()
    assert answer.helpful
    assert rennes.accessibility_violations() == []
    rennes.screenshot("entraide-fil")
    assert rennes.console_errors == [] and nantes.console_errors == []
