"""Grouped purchases in a browser, on the demo site: a deadline reminder (time-travelled, confirmed
by an editor) brings a member to the Angers coffee call, she declares her body's needs the French way, corrects them,
is refused a negative quantity; then, as référente of the coordinating Ville de Nantes, she reads
the canteens' table and downloads its XLSX export."""

import datetime
import io
import re
from urllib.parse import urlparse

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

import pytest
import time_machine
from openpyxl import load_workbook

from jointpurchases import reminders
from jointpurchases.models import JointPurchasePage, LotQuantity, Participation
from tests.browser.test_registrations import login
from tests.utils import click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_page(browser, site_live):
    from tests.browser.conftest import BrowserPage

    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", bypass_csp=True, accept_downloads=True)
    yield BrowserPage(context.new_page(), site_live.url)
    context.close()


def test_reminder_declare_change_and_coordinator_export(browser_page, mailoutbox):
    coffee = JointPurchasePage.objects.get(slug="cafe-equitable-angers")
    mailoutbox.clear()  # what loading the demo sent (on SQLite it is loaded inside the test)
    # Two days before the call closes, an editor confirms the list of the bodies that have not
    # answered, and they are reminded (the periodic job, run twice, sends nothing more).
    with time_machine.travel(coffee.interest_deadline - datetime.timedelta(days=2)):
        call_command("send_joint_purchase_reminders", stdout=io.StringIO())
        assert not [m for m in mailoutbox if "membre@nantes.fr" in m.to]  # not before a confirmation
        (due,) = reminders.due_member_reminders(coffee)
        editor = get_user_model().objects.get(email="editeur@reseco.fr")
        reminders.confirm_reminders(
            coffee, phase=due.phase, deadline=due.deadline, fingerprint=due.fingerprint, actor=editor
        )
        call_command("send_joint_purchase_reminders", stdout=io.StringIO())
        call_command("send_joint_purchase_reminders", stdout=io.StringIO())  # twice: nothing more
    sent = [m for m in mailoutbox if "membre@nantes.fr" in m.to]
    assert len(sent) == 1 and coffee.title in sent[0].subject
    link = re.search(r"https?://\S+", sent[0].body).group(0)

    page = browser_page.page
    login(browser_page, "membre@nantes.fr")
    browser_page.goto(urlparse(link).path)
    assert page.get_by_role("heading", name=coffee.title).is_visible()
    page.get_by_label(re.compile("Café en grains")).fill("1\u00a0200,5")
    page.get_by_label(re.compile("Café moulu")).fill("")
    click_and_wait(page.get_by_role("button", name="Déclarer notre intérêt"))
    assert "Les besoins de Ville de Nantes sont enregistrés" in page.content()
    participation = Participation.objects.get(purchase=coffee, organisation__name="Ville de Nantes")
    assert [
        str(q) for q in LotQuantity.objects.filter(participation=participation).values_list("quantity", flat=True)
    ] == ["1200.50"]
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("groupement-declaration")

    page.get_by_label(re.compile("Café en grains")).fill("-5")
    click_and_wait(page.get_by_role("button", name="Enregistrer les modifications"))
    assert "La quantité ne peut pas être négative." in page.content()
    page.get_by_label(re.compile("Café en grains")).fill("900")
    page.get_by_label(re.compile("Café moulu")).fill("2 000")
    click_and_wait(page.get_by_role("button", name="Enregistrer les modifications"))
    assert sorted(
        str(q) for q in LotQuantity.objects.filter(participation=participation).values_list("quantity", flat=True)
    ) == ["2000.00", "900.00"]

    # The same person answers for Ville de Nantes, which coordinates the canteens' purchase.
    canteen = JointPurchasePage.objects.get(slug="denrees-restauration-scolaire")
    browser_page.goto(canteen.url + "coordination/")
    table = page.locator("#tableau-besoins")
    assert table.locator("tbody tr").count() == 5
    assert "1\u202f200\u202f000" in table.locator("tfoot").inner_text() or "1 200 000" in table.locator(
        "tfoot"
    ).inner_text().replace("\u202f", " ").replace("\u00a0", " ")
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("groupement-coordination")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter (XLSX)").click()
    with open(download.value.path(), "rb") as downloaded:
        sheet = load_workbook(io.BytesIO(downloaded.read())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(rows) == 7 and rows[-1][-1] == 1_200_000
    assert timezone.localdate().isoformat() in download.value.suggested_filename
