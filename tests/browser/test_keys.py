"""An editor who opens a staff account in « Réseau › Personnes » reads a French refusal."""

import pytest

from members.demo import DEMO_PASSWORD
from members.models import User
from tests.utils import click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_is_refused_a_staff_account_in_french(browser_page):
    page, base = browser_page.page, browser_page.base_url
    page.goto(base + "/admin/login/")
    page.locator("#id_username").fill("editeur@reseco.fr")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    click_and_wait(page.locator("form button[type=submit]").first)
    admin = User.objects.get(email="admin@reseco.fr")
    response = page.goto(f"{base}/admin/reseau/personnes/edit/{admin.pk}/")
    assert response.status == 403
    assert "seul un administrateur peut le modifier" in page.locator("[role=alert]").inner_text()
    assert page.locator("input[name=email]").count() == 0
    assert browser_page.accessibility_violations() == []
    click_and_wait(page.get_by_role("link", name="Retour aux personnes"))
    assert page.url == base + "/admin/reseau/personnes/"
