"""The editors' screens of issue 14 in Chromium on the demo site: the preview panel, the
registrations index, confirming beyond capacity, walk-ins typed in after the date and the
report's planned dates. One test on purpose: each live-server test restores the whole demo."""

import re

from django.utils import timezone

from wagtail.models import Page

import pytest

from registrations.models import Occurrence, Registration
from tests.browser.test_attendance import log_in, page_errors
from tests.browser.test_registrations import browser_page  # noqa: F401 (a context that lets axe-core in)
from tests.utils import click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)


def test_preview_registrations_walk_ins_and_report(browser_page):  # noqa: F811 (the fixture imported above)
    page = browser_page.page
    log_in(browser_page)

    # The preview panel shows the page (the admin may frame its own previews).
    standard = Page.objects.live().filter(depth__gt=2, content_type__model="standardpage").first()
    browser_page.goto(f"/admin/pages/{standard.pk}/edit/")
    with page.expect_response(re.compile(r"/edit/preview/")) as preview:
        page.locator('[data-side-panel-toggle="preview"]').first.click()
    assert "frame-ancestors 'none'" not in preview.value.headers.get("content-security-policy", "")
    frame = page.frame_locator("#w-preview-iframe")
    frame.locator("h1").first.wait_for(state="attached")  # a blocked frame has no page in it
    assert standard.title in frame.locator("body").text_content()

    # The index: search a person, filter past dates, counts per status.
    browser_page.goto("/admin/inscriptions/")
    assert page.locator(".registrations-counts li").count() >= 2
    person = Registration.objects.filter(status="confirmed", occurrence__end__gte=timezone.now()).first()
    page.get_by_label("Rechercher une personne, une organisation ou une activité").fill(person.last_name)
    click_and_wait(page.get_by_role("button", name="Filtrer"))
    assert person.email in page.locator("#found").inner_text()
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("inscriptions-recherche")
    page.get_by_label("Dates", exact=True).select_option("passees")
    page.get_by_label("Rechercher une personne, une organisation ou une activité").fill("")
    click_and_wait(page.get_by_role("button", name="Filtrer"))
    assert "periode=passees" in page.url and "Aucune date ne correspond" not in page.content()

    # A full date: the editor is asked before confirming someone from the waiting list.
    full = next(
        o
        for o in Occurrence.objects.upcoming().scheduled().filter(capacity__isnull=False)
        if o.registrations.filter(status="waitlisted").exists()
        and o.registrations.filter(status__in=["confirmed", "pending_payment"]).count() >= o.capacity
    )
    waiting = full.registrations.filter(status="waitlisted").order_by("waitlisted_at").first()
    browser_page.goto(f"/admin/inscriptions/{full.pk}/")
    click_and_wait(page.get_by_role("button", name="Confirmer en surnombre…").first)
    assert f"Capacité : {full.capacity} places." in page.locator("#overbook-facts").inner_text()
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("inscriptions-surnombre")
    assert Registration.objects.get(pk=waiting.pk).status == "waitlisted"
    click_and_wait(page.get_by_role("button", name=re.compile("Confirmer en surnombre \\(")))
    assert "confirmé·e en surnombre" in page.content()
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"

    # A date that ended: walk-ins from the paper sheet are typed in.
    ended = Occurrence.objects.scheduled().filter(end__lt=timezone.now(), parts__isnull=False).distinct().first()
    browser_page.goto(f"/admin/presences/{ended.pk}/")
    assert "Cette date est terminée" in page.content()
    page.locator("#id_walkin-first_name").fill("Nina")
    page.locator("#id_walkin-last_name").fill("Surplace")
    page.locator("#id_walkin-email").fill("nina.surplace@exemple.fr")
    page.locator("#id_walkin-organisation").select_option(label="Ville de Nantes")
    click_and_wait(page.get_by_role("button", name="Ajouter et marquer présent·e"))
    assert "ajouté·e sur place" in page.content()
    nina = Registration.objects.get(occurrence=ended, email="nina.surplace@exemple.fr")
    assert nina.organisation.name == "Ville de Nantes" and nina.attendances.count() == 1
    page.wait_for_timeout(800)  # Wagtail's message slides in: its contrast is measured once shown
    assert browser_page.accessibility_violations() == []

    # The report: dates still to come are shown apart, never counted as held.
    year = timezone.localdate().year
    browser_page.goto(f"/admin/rapport/?from={year}-01-01&to={year + 1}-12-31")
    assert page.get_by_text("Dates prévues, pas encore tenues (non comptées)").first.is_visible()
    assert page_errors(browser_page) == []
