"""A member registers for a demo event from its page and sees the outcome (one test:
each live-server test reloads the whole demo)."""

from wagtail.models import Site

import pytest

from members.audience import Audience
from registrations.models import Occurrence, Registration
from registrations.services import seats_left
from tests.browser.conftest import BrowserPage
from tests.utils import click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_page(browser, site_live):
    # bypass_csp: axe-core is injected as an inline script, which the site's CSP forbids (TRAPS.md).
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", bypass_csp=True)
    page = BrowserPage(context.new_page(), site_live.url)
    yield page
    context.close()


def open_occurrence(email):
    candidates = (
        Occurrence.objects.upcoming()
        .scheduled()
        .live()
        .filter(registration_required=True, audience__in=[Audience.MEMBERS, Audience.EVERYONE])
        .exclude(kind__in=["market_engagement", "training"])
        .exclude(registrations__email__iexact=email)
        .select_related("page")
    )
    return next(o for o in candidates if seats_left(o) is None or seats_left(o) > 0)


def login(browser_page, email):
    page = browser_page.page
    browser_page.goto("/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill("reseco-demo-2026")
    click_and_wait(page.get_by_role("button", name="Se connecter"))


def test_member_registers_for_a_demo_event_and_sees_the_outcome(browser_page):
    page = browser_page.page
    login(browser_page, "membre@nantes.fr")
    occurrence = open_occurrence("membre@nantes.fr")
    site = Site.objects.get(is_default_site=True)
    browser_page.goto(occurrence.page.relative_url(site))
    click_and_wait(page.locator(f'a[href="/inscriptions/{occurrence.pk}/"]').first)
    assert page.url.endswith(f"/inscriptions/{occurrence.pk}/")
    body = page.content()
    assert "Sophie Le Goff" in body and "Ville de Nantes" in body and "membre@nantes.fr" in body
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("inscription-formulaire")

    click_and_wait(page.get_by_role("button", name="M'inscrire"))
    assert page.locator("h1").inner_text() == "Votre inscription"
    assert "Inscription confirmée" in page.content()
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("inscription-confirmee")
    assert Registration.objects.filter(occurrence=occurrence, email="membre@nantes.fr", status="confirmed").count() == 1

    browser_page.goto("/compte/")
    section = page.locator("#inscriptions")
    assert occurrence.page.title in section.inner_text()
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("mes-inscriptions")

    # A full demo event: the member joins its waiting list and sees the position.
    full = next(
        o
        for o in Occurrence.objects.upcoming().scheduled().filter(audience=Audience.MEMBERS, capacity__isnull=False)
        if o.registrations.filter(status="waitlisted").exists()
    )
    browser_page.goto(f"/inscriptions/{full.pk}/")
    assert "Complet" in page.content()
    click_and_wait(page.get_by_role("button", name="M'inscrire sur la liste d'attente"))
    assert "Liste d'attente : position 4" in page.locator("main").inner_text(), page.locator("main").inner_text()
    assert browser_page.accessibility_violations() == []
    browser_page.page.set_viewport_size({"width": 375, "height": 740})
    browser_page.screenshot("inscription-liste-attente-mobile")
    assert browser_page.console_errors == []


def test_guest_form_and_supplier_application_are_accessible(browser_page):
    page = browser_page.page
    public = (
        Occurrence.objects.upcoming()
        .scheduled()
        .live()
        .filter(audience=Audience.EVERYONE, registration_required=True)
        .exclude(kind__in=["market_engagement", "training"])
        .first()
    )
    if public is not None:
        browser_page.goto(f"/inscriptions/{public.pk}/")
        click_and_wait(page.get_by_role("button", name="M'inscrire"))  # empty: French field errors, 400
        assert "Le formulaire contient des erreurs" in page.content()
        assert browser_page.accessibility_violations() == []
        browser_page.screenshot("inscription-invite-erreurs")
    meeting = Occurrence.objects.upcoming().scheduled().filter(kind="market_engagement").first()
    assert meeting is not None, "la démo doit contenir une rencontre fournisseurs"
    browser_page.goto(f"/inscriptions/{meeting.pk}/candidature/")
    page.get_by_label("SIRET").fill("12345678901234")
    click_and_wait(page.get_by_role("button", name="Envoyer la candidature"))
    assert "SIRET" in page.locator("#erreurs").inner_text()
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("candidature-fournisseur")
    # The refused forms answer 400 on purpose; nothing else may fail.
    assert [e for e in browser_page.console_errors if "status of 400" not in e] == []


def test_visitor_on_a_members_only_date_logs_in_to_register(browser_page):
    """Issue 14: no « S'inscrire » that ends on a refusal; the page says the dates are for members
    and its « Se connecter pour s'inscrire » brings the member back to them, registration open."""
    page = browser_page.page
    occurrence = next(
        o
        for o in Occurrence.objects.upcoming()
        .scheduled()
        .live()
        .filter(registration_required=True, audience=Audience.MEMBERS, registration_opens_at__isnull=True)
        .exclude(kind__in=["market_engagement", "training"])
        .select_related("page")
        if not o.page.get_view_restrictions().exists()
    )
    browser_page.goto(occurrence.page.url)
    notice = page.locator(".members-only")
    assert notice.count() == 1 and "réservées aux membres" in notice.inner_text()
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("evenement-reserve-membres")
    click_and_wait(notice.get_by_role("link"))
    page.get_by_label("Adresse électronique").fill("membre@nantes.fr")
    page.get_by_label("Mot de passe").fill("reseco-demo-2026")
    click_and_wait(page.get_by_role("button", name="Se connecter"))
    assert page.url.endswith(occurrence.page.url)  # back on the event, whose dates now offer registration
    assert page.locator(f'a[href="/inscriptions/{occurrence.pk}/"]').count() + page.get_by_text("inscrit").count() >= 1
