"""A second factor for every staff account: enrolment (QR code, recovery codes shown once),
verification, the administrator's reset, and who is left alone."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import EditorFactory, MemberFactory, UserFactory
from twofactor import services

pytestmark = pytest.mark.django_db

ENROL = "/admin/double-authentification/activer/"
VERIFY = "/admin/double-authentification/"


@pytest.fixture(autouse=True)
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def code(device, drift=0):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, drift).token():06d}"


def enrolled(user):
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return device, services.new_recovery_codes(user)


@pytest.mark.parametrize("make_staff", [EditorFactory, lambda: UserFactory(is_staff=True, is_superuser=True)])
def test_staff_without_a_second_factor_must_set_one_up_before_the_admin(client, make_staff):
    client.force_login(make_staff())
    response = client.get("/admin/reseau/personnes/")
    assert (response.status_code, response["Location"]) == (302, f"{ENROL}?next=%2Fadmin%2Freseau%2Fpersonnes%2F")


def test_enrolment_shows_a_qr_code_then_ten_recovery_codes_once(client):
    editor = EditorFactory()
    client.force_login(editor)
    page = client.get(ENROL, {"next": "/admin/pages/"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "Activer la double authentification" in html
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert services.secret(device) in html
    assert client.get(ENROL).context["secret"] == services.secret(device)  # a reload keeps the same key

    wrong = client.post(ENROL, {"token": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "Ce code ne correspond pas" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    # django-otp makes the next try wait a second after a failure; the person is slower than that.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)

    done = client.post(ENROL, {"token": code(device), "next": "/admin/pages/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and all(c in done.content.decode() for c in codes)
    assert 'href="/admin/pages/"' in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    # Once set up, the enrolment page no longer shows a key (nor new codes).
    assert client.get(ENROL)["Location"].startswith(VERIFY)


def test_next_sign_in_asks_for_the_code_and_a_recovery_code_works_once(client):
    editor = EditorFactory()
    device, codes = enrolled(editor)
    client.force_login(editor)
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, f"{VERIFY}?next=%2Fadmin%2F")
    assert client.post(VERIFY, {"token": codes[0], "next": "/admin/"})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200

    client.logout()
    client.force_login(editor)
    used = client.post(VERIFY, {"token": codes[0]})
    assert used.status_code == 400
    assert "Code incorrect ou déjà utilisé" in used.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # a second later
    assert client.post(VERIFY, {"token": code(device)}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_forged_next_goes_to_the_dashboard(client):
    editor = EditorFactory()
    device, _ = enrolled(editor)
    client.force_login(editor)
    response = client.post(VERIFY, {"token": code(device), "next": "https://pirate.example/"})
    assert response["Location"] == "/admin/"


def test_empty_code_is_refused_in_french(client):
    editor = EditorFactory()
    enrolled(editor)
    client.force_login(editor)
    response = client.post(VERIFY, {"token": ""})
    assert response.status_code == 400
    assert "Saisissez le code affiché par l&#x27;application" in response.content.decode()


def test_members_and_anonymous_visitors_are_left_alone(client):
    assert client.get(VERIFY)["Location"].startswith("/admin/login/")
    assert client.get(ENROL)["Location"].startswith("/admin/login/")
    member = MemberFactory()
    client.force_login(member)
    assert client.get("/compte/").status_code == 200
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert not TOTPDevice.objects.filter(user=member).exists()


def test_off_when_the_setting_says_so(client, settings):
    settings.TWO_FACTOR_REQUIRED = False
    client.force_login(EditorFactory())
    assert client.get("/admin/").status_code == 200


def test_administrator_resets_a_second_factor(client):
    editor = EditorFactory(email="perdu@reseco.test")
    enrolled(editor)
    out = StringIO()
    call_command("reset_2fa", "Perdu@reseco.test", stdout=out)
    assert "réinitialisée pour perdu@reseco.test" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()
    assert not StaticToken.objects.filter(device__user=editor).exists()
    client.force_login(editor)
    assert client.get("/admin/")["Location"].startswith(ENROL)
    with pytest.raises(CommandError, match="Aucun compte"):
        call_command("reset_2fa", "personne@nulle-part.test", stdout=StringIO())


def test_new_recovery_codes_replace_the_old_ones():
    editor = EditorFactory()
    first = services.new_recovery_codes(editor)
    second = services.new_recovery_codes(editor)
    assert services.verified_device(editor, second[0]) is not None
    assert services.verified_device(editor, first[0]) is None


def test_the_screens_resources_load_before_the_second_factor(client):
    """The icon sprite and the JavaScript catalogue of the 2FA screens are not redirected (the
    sprite would otherwise be the enrolment page, injected into itself)."""
    client.force_login(EditorFactory())
    assert client.get("/admin/sprite/").status_code == 200
    assert client.get("/admin/jsi18n/").status_code == 200
    assert client.get("/admin/pages/").status_code == 302


def test_production_always_asks_staff_for_a_second_factor():
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings.production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "reseco.example",
        "TWO_FACTOR_REQUIRED": "false",
        "PYTHONPATH": str(root / "site"),
    }
    script = (
        "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED, 'twofactor' in settings.INSTALLED_APPS)"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]
