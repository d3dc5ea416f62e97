"""The agenda in a real browser: list and month grid reachable with the keyboard, axe clean, on a
desktop and on a phone; an event page with its calendar link."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_agenda_list_month_grid_event_and_phone(browser_page, phone_page):
    """One test (one demo load): desktop, then the same pages at phone width."""
    page = browser_page.page
    assert browser_page.goto("/agenda/").status == 200
    assert page.locator('link[rel="alternate"][type="text/calendar"]').count() == 1
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("agenda-liste")

    # Keyboard: tab to the "Mois" view link and follow it with Enter.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.textContent.trim()") == "Mois":
            break
    else:
        pytest.fail("The month view link cannot be reached with the keyboard")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "vue=mois" in page.url
    table = page.locator("table.month-grid")
    assert table.locator("caption").inner_text().startswith("Agenda de")
    assert table.locator('th[scope="col"]').count() == 7
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("agenda-mois")

    # Filters survive in the URL
    page.select_option("#filtre-type", "webinar")
    with page.expect_navigation():
        page.get_by_role("button", name="Filtrer").click()
    assert "type=webinar" in page.url and "vue=mois" in page.url

    assert browser_page.goto("/agenda/groupe-construction-reunion-mensuelle/").status == 200
    assert page.get_by_text("Ajouter à mon calendrier").count() == 1
    assert page.get_by_text("Annulé").count() >= 1
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("evenement-recurrent")
    assert browser_page.console_errors == []

    page = phone_page.page
    assert phone_page.goto("/agenda/?vue=mois").status == 200
    # the page itself does not scroll sideways: only the grid's wrapper does
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert phone_page.accessibility_violations() == []
    phone_page.screenshot("agenda-mois-telephone")
    assert phone_page.goto("/agenda/").status == 200
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone_page.screenshot("agenda-liste-telephone")
