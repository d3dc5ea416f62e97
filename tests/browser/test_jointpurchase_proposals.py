"""A grouped purchase proposed by a member body's référent, in Chromium on the demo site: the
référente of Ville de Nantes proposes it on /achats-groupes/proposer/ (a French error first),
sees it waiting in « Mon compte »; the editor approves it in the admin's workflow; the
proposal is then a published grouped purchase that members see, coordinated by Nantes."""

import datetime
import re

from django.utils import timezone

import pytest

from jointpurchases.models import JointPurchasePage
from tests.browser.test_attendance import log_in
from tests.browser.test_registrations import (
    browser_page,  # noqa: F401 (a context that lets axe-core in)
    login,
)
from tests.utils import click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)


def test_propose_then_the_editor_publishes_then_members_see_it(browser_page):  # noqa: F811 (the fixture imported above)
    page = browser_page.page
    login(browser_page, "membre@nantes.fr")
    browser_page.goto("/achats-groupes/proposer/")
    page.get_by_label(re.compile("Intitulé du groupement")).fill("Papier recyclé 2027")
    page.get_by_label(re.compile("Secteur d'achat")).select_option(index=1)
    page.get_by_label(re.compile("Présentation")).fill("Du papier recyclé pour les services.\n\nLabel Ange bleu.")
    page.get_by_label(re.compile("Lot 1 : intitulé")).fill("Ramettes A4")
    deadline = timezone.localdate() + datetime.timedelta(days=40)
    page.get_by_label(re.compile("Fin de l'appel à manifestation")).fill(deadline.isoformat())
    click_and_wait(page.get_by_role("button", name="Transmettre à l'équipe du réseau"))
    assert "Choisissez l'unité de besoin de ce lot." in page.content()  # the unit is required
    assert not JointPurchasePage.objects.filter(title="Papier recyclé 2027").exists()
    page.get_by_label(re.compile("Lot 1 : unité de besoin")).select_option("unites")
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("groupement-proposition")
    click_and_wait(page.get_by_role("button", name="Transmettre à l'équipe du réseau"))
    assert "/compte/" in page.url and "en attente de relecture" in page.content()
    proposal = JointPurchasePage.objects.get(title="Papier recyclé 2027")
    assert not proposal.live and proposal.coordinator.name == "Ville de Nantes"

    page.context.clear_cookies()
    log_in(browser_page)  # the editor, in the admin
    browser_page.goto(f"/admin/pages/{proposal.pk}/edit/")
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    click_and_wait(page.get_by_role("button", name="Approuver et Publier", exact=True))
    page.wait_for_url(re.compile(r"/admin/"))
    proposal.refresh_from_db()
    assert proposal.live and proposal.coordinator.name == "Ville de Nantes"

    page.context.clear_cookies()
    login(browser_page, "membre@nantes.fr")  # any member now sees it among the open calls
    browser_page.goto("/achats-groupes/")
    assert "Papier recyclé 2027" in page.locator("#appels-ouverts").locator("..").inner_text()
    browser_page.goto(proposal.url)
    assert page.get_by_role("heading", name="Papier recyclé 2027").is_visible()
    assert "Ramettes A4" in page.content()
    browser_page.goto(proposal.url + "coordination/")  # Nantes coordinates it
    assert page.locator("#tableau-besoins").is_visible()
