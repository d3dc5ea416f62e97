"""2FA in a browser: an editor signs in, sets up an authenticator app from the QR code's key,
keeps the recovery codes, reaches the admin; signs in again with a code from the app."""

import base64

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.demo import DEMO_PASSWORD
from tests.utils import click_and_wait
from twofactor.services import secret

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def sign_in(page, base_url):
    page.goto(base_url + "/admin/login/?next=/admin/")
    page.locator("#id_username").fill("editeur@reseco.fr")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    click_and_wait(page.locator("form button[type=submit]").first)


def app_code(key_b32, drift=0):
    """What the phone's app shows now (``drift`` steps of 30 s later)."""
    return f"{TOTP(base64.b32decode(key_b32), step=30, t0=0, digits=6, drift=drift).token():06d}"


def test_editor_enrols_then_signs_in_with_the_app(browser_page, required):
    page, base = browser_page.page, browser_page.base_url
    sign_in(page, base)
    assert "/admin/double-authentification/activer/" in page.url
    assert page.locator("main h1").first.inner_text() == "Activer la double authentification"
    assert page.locator(".twofactor-qr svg").count() == 1
    key = page.locator("[data-twofactor-secret]").inner_text()
    assert browser_page.accessibility_violations() == []

    page.locator("#id_token").fill("123 456" if app_code(key) != "123456" else "654321")
    click_and_wait(page.locator("form button[type=submit]"))
    assert "Ce code ne correspond pas" in page.locator("[role=alert]").inner_text()

    page.wait_for_timeout(1100)  # django-otp makes the next try wait a second after a failure
    page.locator("#id_token").fill(app_code(key))
    page.locator("form button[type=submit]").click()
    page.wait_for_selector("[data-twofactor-codes]")
    codes = page.locator("[data-twofactor-codes] code").all_inner_texts()
    assert len(codes) == 10
    click_and_wait(page.get_by_role("link", name="J'ai noté mes codes, continuer"))
    assert page.url == base + "/admin/"

    # A new session asks for the code; the next step of the app (a code already used is refused).
    page.context.clear_cookies()
    sign_in(page, base)
    assert "/admin/double-authentification/?next=" in page.url
    assert page.locator("main h1").first.inner_text() == "Double authentification"
    page.locator("#id_token").fill(app_code(key, drift=1))
    click_and_wait(page.locator("form button[type=submit]"))
    assert page.url == base + "/admin/"
    assert secret(TOTPDevice.objects.get(user__email="editeur@reseco.fr", confirmed=True)) == key
