"""The agenda in a real browser: list and month grid reachable with the keyboard, axe clean, on a
desktop and on a phone; an event page with its calendar link."""

import pytest

from tests.browser.conftest import BrowserPage

pytestmark = pytest.mark.django_db(transaction=True)


def _page(browser, site_live, **options):
    # bypass_csp: axe-core is injected as an inline script, which the site's CSP forbids (TRAPS.md).
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", bypass_csp=True, **options)
    return context, BrowserPage(context.new_page(), site_live.url)


@pytest.fixture
def desktop(browser, site_live):
    context, page = _page(browser, site_live)
    yield page
    context.close()


@pytest.fixture
def phone(browser, site_live):
    context, page = _page(browser, site_live, viewport={"width": 375, "height": 740}, is_mobile=True)
    yield page
    context.close()


def test_agenda_list_month_grid_event_and_phone(desktop, phone):
    """One test (one demo load): desktop, then the same pages at phone width."""
    page = desktop.page
    assert desktop.goto("/agenda/").status == 200
    assert page.locator('link[rel="alternate"][type="text/calendar"]').count() == 1
    assert desktop.accessibility_violations() == []
    desktop.screenshot("agenda-liste")

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
    assert desktop.accessibility_violations() == []
    desktop.screenshot("agenda-mois")

    # Filters survive in the URL
    page.select_option("#filtre-type", "webinar")
    with page.expect_navigation():
        page.get_by_role("button", name="Filtrer").click()
    assert "type=webinar" in page.url and "vue=mois" in page.url

    assert desktop.goto("/agenda/groupe-construction-reunion-mensuelle/").status == 200
    assert page.get_by_text("Ajouter à mon calendrier").count() == 1
    # « S'abonner » opens subscription links (webcal, Google, Outlook) with their instructions
    webcal = page.locator('a[href^="webcal://"]')
    assert not webcal.is_visible()
    page.get_by_text("S'abonner").click()
    assert webcal.is_visible() and page.get_by_role("link", name="Google Agenda").is_visible()
    assert page.get_by_role("link", name="Outlook.com").is_visible()
    assert page.get_by_text("Annulé").count() >= 1
    assert desktop.accessibility_violations() == []
    desktop.screenshot("evenement-recurrent")
    assert desktop.console_errors == []

    page = phone.page
    assert phone.goto("/agenda/?vue=mois").status == 200
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # Issue 14: Friday to Sunday fell off a phone's screen. Every day of the month is shown,
    # named, inside the screen: all seven weekdays can be seen without scrolling sideways.
    days = page.locator(".month-grid td:not(.month-grid__out)")
    seen = set()
    for n in range(days.count()):
        day = days.nth(n)
        box = day.bounding_box()
        assert day.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 376, day.inner_text()
        seen.add(day.locator(".month-grid__weekday").inner_text().strip())
    assert seen == {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}
    assert phone.accessibility_violations() == []
    phone.screenshot("agenda-mois-telephone")
    assert phone.goto("/agenda/").status == 200
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.screenshot("agenda-liste-telephone")
