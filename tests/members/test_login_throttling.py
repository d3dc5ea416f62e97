from django.test import override_settings

import pytest

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_out_with_a_french_429(client):
    MemberFactory(email="sophie@nantes.fr")
    for _ in range(2):
        assert (
            client.post("/compte/connexion/", {"username": "sophie@nantes.fr", "password": "faux"}).status_code == 400
        )
    locked = client.post("/compte/connexion/", {"username": "sophie@nantes.fr", "password": "faux"})
    assert locked.status_code == 429
    assert "Trop de tentatives de connexion" in locked.content.decode()
    # Even the right password is refused while locked out.
    again = client.post("/compte/connexion/", {"username": "sophie@nantes.fr", "password": "motdepasse-test"})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_admin_login_is_throttled_too(client):
    MemberFactory(email="sophie@nantes.fr")
    responses = [
        client.post("/admin/login/", {"username": "sophie@nantes.fr", "password": "faux"}).status_code for _ in range(3)
    ]
    assert responses[-1] == 429


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_success_resets_the_counter(client):
    MemberFactory(email="sophie@nantes.fr")
    client.post("/compte/connexion/", {"username": "sophie@nantes.fr", "password": "faux"})
    client.post("/compte/connexion/", {"username": "sophie@nantes.fr", "password": "faux"})
    assert (
        client.post("/compte/connexion/", {"username": "sophie@nantes.fr", "password": "motdepasse-test"}).status_code
        == 302
    )
    client.logout()
    client.post("/compte/connexion/", {"username": "sophie@nantes.fr", "password": "faux"})
    assert (
        client.post("/compte/connexion/", {"username": "sophie@nantes.fr", "password": "motdepasse-test"}).status_code
        == 302
    )


@override_settings(AXES_ENABLED=True, LOGIN_ADDRESS_FAILURE_LIMIT=4)
def test_one_wrong_password_on_each_of_many_accounts_throttles_the_address(client):
    """Password spraying: one try per account from one address is throttled too, and the
    attacker's successful login on an account of their own does not reset the address."""
    MemberFactory(email="attaquant@exemple.fr")
    victim = MemberFactory(email="victime@nantes.fr")
    login = "/compte/connexion/"
    for n in range(3):
        assert client.post(login, {"username": f"agent{n}@nantes.fr", "password": "faux"}).status_code == 400
    assert client.post(login, {"username": "attaquant@exemple.fr", "password": "motdepasse-test"}).status_code == 302
    client.logout()
    assert client.post(login, {"username": "agent9@nantes.fr", "password": "faux"}).status_code == 429
    assert client.post(login, {"username": victim.email, "password": "motdepasse-test"}).status_code == 429
    assert client.post("/admin/login/", {"username": "agent8@nantes.fr", "password": "faux"}).status_code == 429
    # another address is not concerned
    other = client.post(login, {"username": victim.email, "password": "motdepasse-test"}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_responses_carry_security_headers(client):
    response = client.get("/healthz")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_admin_may_frame_itself_for_previews(client):
    response = client.get("/admin/login/")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
