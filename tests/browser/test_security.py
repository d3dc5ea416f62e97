"""The site works under its Content Security Policy: no page logs a violation."""

from urllib.parse import urljoin, urlparse

import pytest

from tests.utils import click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)

# Downloads, feeds and XML are not pages (Chromium styles its own XML viewer inline).
SKIPPED = (
    "/admin/",
    "/documents/",
    "/calendrier/",
    "/payments/",
    "/presence/",
    "/compte/deconnexion/",
    "/compte/donnees/",
    "/assistance/pieces-jointes/",
    "/sitemap.xml",
)
DOWNLOADS = (".pdf", ".ics", ".csv", ".xlsx", ".json", ".zip")


def crawl(browser_page, start_paths, limit):
    """Visit same-site links breadth-first from ``start_paths``; return CSP errors per URL."""
    page = browser_page.page
    base = browser_page.base_url
    seen, queue, violations = set(), list(start_paths), {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        browser_page.console_errors.clear()
        response = page.goto(base + path)
        assert response.status < 500, path
        errors = [e for e in browser_page.console_errors if "Content Security Policy" in e]
        if errors:
            violations[path] = errors
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            url = urlparse(urljoin(base + path, href))
            if (
                url.netloc == urlparse(base).netloc
                and not url.path.startswith(SKIPPED)
                and not url.path.endswith(DOWNLOADS)
            ):
                queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return seen, violations


def test_public_site_has_no_csp_violation(browser_page):
    response = browser_page.goto("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    seen, violations = crawl(browser_page, ["/"], limit=45)
    assert len(seen) >= 30
    assert violations == {}


def test_member_pages_have_no_csp_violation(browser_page):
    page = browser_page.page
    browser_page.goto("/compte/connexion/")
    page.get_by_label("Adresse électronique").fill("membre@nantes.fr")
    page.get_by_label("Mot de passe").fill("reseco-demo-2026")
    click_and_wait(page.get_by_role("button", name="Se connecter"))
    seen, violations = crawl(browser_page, ["/compte/", "/espace-membres/", "/agenda/", "/formations/"], limit=20)
    assert violations == {}


def test_editor_admin_and_preview_work_under_the_admin_policy(browser_page):
    page = browser_page.page
    browser_page.goto("/admin/login/")
    page.fill("input[name=username]", "editeur@reseco.fr")
    page.fill("input[name=password]", "reseco-demo-2026")
    click_and_wait(page.locator("button[type=submit]"))
    browser_page.console_errors.clear()
    browser_page.goto("/admin/pages/")
    page.wait_for_load_state("networkidle")
    assert not [e for e in browser_page.console_errors if "Content Security Policy" in e]
    browser_page.goto("/")  # the Wagtail user bar on the public site, for editors
    page.wait_for_load_state("networkidle")
    assert not [e for e in browser_page.console_errors if "Content Security Policy" in e]
