"""La lettre RESECO in Chromium on the demo site, with a real SMTP server (aiosmtpd): an editor
composes an issue, previews it as an e-mail, sends a test to herself, then sends it; the
messages are read back from the server (headers, both MIME parts, one-click unsubscribe that
works); a visitor subscribes with double opt-in. One test on purpose: each live-server test
restores the whole demo."""

import re

import pytest
import requests

from newsletter.models import Delivery, NewsletterIssuePage, Sending, Subscriber, SubscriberStatus
from newsletter.queries import recipients
from tests.browser.test_attendance import log_in, page_errors
from tests.browser.test_registrations import browser_page  # noqa: F401 (a context that lets axe-core in)
from tests.newsletter.smtp import SMTPServer
from tests.utils import click_and_wait, type_rich_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def smtp(settings, site_live):
    with SMTPServer() as server:
        for key, value in server.settings().items():
            setattr(settings, key, value)
        settings.SITE_URL = site_live.url
        settings.NEWSLETTER_RATE_PER_SECOND = 0
        yield server


def _wait_for(predicate, page, timeout=15_000):
    waited = 0
    while not predicate():
        page.wait_for_timeout(100)
        waited += 100
        assert waited < timeout, "rien reçu"


def test_compose_preview_test_send_unsubscribe_and_subscribe(browser_page, smtp):  # noqa: F811
    page = browser_page.page
    log_in(browser_page)
    index = NewsletterIssuePage.objects.first().get_parent()

    # Compose: a new issue with an editorial block.
    browser_page.goto(f"/admin/pages/add/newsletter/newsletterissuepage/{index.pk}/")
    page.locator("#id_title").fill("N° 14 – Les achats de fin d'année")
    page.locator("#id_summary").fill("Bilan de l'année et rendez-vous de janvier.")
    page.locator(".c-sf-add-button").first.click()
    page.get_by_role("option", name="Éditorial ou texte").click()
    page.locator("[contenteditable=true]").first.click()
    type_rich_text(page, "Merci à toutes les collectivités pour cette année de partage.")
    page.locator(".c-sf-add-button").last.click()
    page.get_by_role("option", name="Prochains rendez-vous").click()
    click_and_wait(page.get_by_role("button", name="Enregistrer le brouillon"))
    issue = NewsletterIssuePage.objects.get(title="N° 14 – Les achats de fin d'année")

    # Preview as the e-mail, in the preview panel.
    with page.expect_response(re.compile(r"/edit/preview/")):
        page.locator('[data-side-panel-toggle="preview"]').first.click()
    assert page.locator("#id_preview_mode option[value=email]").count() == 1
    # The e-mail mode of the data the panel just sent (what the panel shows once « E-mail » is chosen).
    edit_url = page.url
    browser_page.goto(f"/admin/pages/{issue.pk}/edit/preview/?mode=email")
    assert page.locator("table").count() > 0
    body = page.locator("body").text_content()
    assert "Merci à toutes les collectivités" in body and "Prochains rendez-vous" in body
    assert "Se désabonner en un clic" in body
    page.goto(edit_url)

    # Publish, then the sending screen: a test to oneself, then the real sending.
    page.locator("[data-w-dropdown-target=toggle]").last.click()
    click_and_wait(page.locator("button[name=action-publish]"))
    issue.refresh_from_db()
    assert issue.live
    browser_page.goto(f"/admin/lettre/{issue.pk}/")
    assert browser_page.accessibility_violations() == []
    click_and_wait(page.get_by_role("button", name=re.compile("M'envoyer un exemplaire d'essai")))
    _wait_for(lambda: smtp.recorder.count == 1, page)
    ((to, test_copy),) = smtp.recorder.parsed()
    assert to == ["editeur@reseco.fr"] and str(test_copy["Subject"]).strip().startswith("[Essai]")

    expected = set(recipients(issue))
    click_and_wait(page.get_by_role("button", name=re.compile("Envoyer \\(maintenant")))
    _wait_for(lambda: smtp.recorder.count == 1 + len(expected), page)
    browser_page.goto(f"/admin/lettre/{issue.pk}/")
    assert f'data-sent="{len(expected)}"' in page.content() and "Envoi terminé" in page.content()
    browser_page.screenshot("lettre-envoi")

    sent = smtp.recorder.parsed()[1:]
    assert sorted(a for to, _m in sent for a in to) == sorted(expected)
    subscriber = Subscriber.objects.filter(status=SubscriberStatus.ACTIVE, public_letter=True).first()
    _to, message = next((to, m) for to, m in sent if to == [subscriber.email])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = re.search(r"<(https?://[^>]+)>", message["List-Unsubscribe"]).group(1)
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Merci à toutes les collectivités" in plain and "Merci à toutes les collectivités" in html
    assert "/lettre/n-14-les-achats-de-fin-dann" in plain and unsubscribe_url in html  # the web version
    # The mail client's one-click request: a bare POST, no cookie, no CSRF token.
    response = requests.post(unsubscribe_url, data={"List-Unsubscribe": "One-Click"}, timeout=10)
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert Delivery.objects.filter(sending=Sending.objects.get(issue=issue), status="sent").count() == len(expected)

    # A visitor subscribes, with double opt-in (the public pages log no error; the admin's preview
    # answered 400 while the draft was incomplete, which is Wagtail's own way).
    page.context.clear_cookies()
    browser_page.console_errors.clear()
    browser_page.goto("/lettre/")
    page.get_by_role("link", name="S'abonner à la lettre").first.click()
    assert browser_page.accessibility_violations() == []
    page.get_by_label("Adresse électronique").fill("nouvelle.lectrice@exemple.fr")
    page.get_by_label(re.compile("J'accepte de recevoir la lettre")).check()
    count = smtp.recorder.count
    click_and_wait(page.get_by_role("button", name="M'abonner"))
    assert "Vérifiez votre messagerie" in page.content()
    _wait_for(lambda: smtp.recorder.count == count + 1, page)
    (_to, confirmation) = smtp.recorder.parsed()[-1]
    link = re.search(r"https?://\S+", confirmation.get_body(preferencelist=("plain",)).get_content()).group(0)
    assert Subscriber.objects.get(email="nouvelle.lectrice@exemple.fr").status == SubscriberStatus.PENDING
    page.goto(link)
    click_and_wait(page.get_by_role("button", name="Je confirme mon abonnement"))
    assert "Abonnement confirmé" in page.content()
    assert Subscriber.objects.get(email="nouvelle.lectrice@exemple.fr").status == SubscriberStatus.ACTIVE
    assert page_errors(browser_page) == []
