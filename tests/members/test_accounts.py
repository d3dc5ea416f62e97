"""Login, password reset and profile: good paths and bad input (never a 500)."""

from django.core import mail

import pytest

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

HOSTILE = ["", " ", "a" * 5000, "not-an-email", "<script>alert(1)</script>@x.fr", "' OR 1=1 --", "\x00", "é" * 300]


def test_member_logs_in_with_email_and_sees_account(client, home_page):
    member = MemberFactory(email="sophie@nantes.fr", organisation__name="Ville de Nantes")
    response = client.post("/compte/connexion/", {"username": "Sophie@Nantes.fr", "password": "motdepasse-test"})
    assert response.status_code == 302
    page = client.get("/compte/").content.decode()
    assert "Ville de Nantes" in page
    assert member.email in page


@pytest.mark.parametrize("email", HOSTILE)
@pytest.mark.parametrize("password", ["", "x" * 5000, "motdepasse-faux"])
def test_bad_login_is_a_french_400(client, email, password):
    MemberFactory(email="sophie@nantes.fr")
    response = client.post("/compte/connexion/", {"username": email, "password": password})
    assert response.status_code == 400
    html = response.content.decode()
    # A NUL byte is refused before the form (base.middleware.RejectNullBytesMiddleware).
    expected = "Requête invalide" if "\x00" in email else "Le formulaire contient des erreurs"
    assert expected in html
    assert "_auth_user_id" not in client.session


def test_login_with_wrong_password_says_so_in_french(client):
    MemberFactory(email="sophie@nantes.fr")
    response = client.post("/compte/connexion/", {"username": "sophie@nantes.fr", "password": "faux"})
    assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()


def test_account_requires_login(client):
    response = client.get("/compte/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_password_reset_does_not_reveal_accounts(client, home_page):
    MemberFactory(email="sophie@nantes.fr")
    known = client.post("/compte/mot-de-passe/", {"email": "sophie@nantes.fr"})
    unknown = client.post("/compte/mot-de-passe/", {"email": "personne@nulle-part.fr"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "RESECO : choisir un nouveau mot de passe"


def test_password_reset_link_sets_a_new_password(client, home_page):
    MemberFactory(email="sophie@nantes.fr")
    client.post("/compte/mot-de-passe/", {"email": "sophie@nantes.fr"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/compte/mot-de-passe/" in line)
    path = link.split("testserver", 1)[1]
    form_url = client.get(path)["Location"]
    weak = client.post(form_url, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 400
    done = client.post(
        form_url, {"new_password1": "Une-phrase-de-passe-solide", "new_password2": "Une-phrase-de-passe-solide"}
    )
    assert done.status_code == 302
    assert client.login(username="sophie@nantes.fr", password="Une-phrase-de-passe-solide")


def test_forged_reset_link_is_refused(client):
    response = client.get("/compte/mot-de-passe/MQ/forged-token/")
    assert response.status_code == 200
    assert "Ce lien n'est plus valable" in response.content.decode()


@pytest.mark.parametrize("email", HOSTILE)
def test_password_reset_bad_input(client, email):
    response = client.post("/compte/mot-de-passe/", {"email": email})
    assert response.status_code == 400
    assert len(mail.outbox) == 0


def test_profile_update_and_bad_input(client):
    member = MemberFactory()
    client.force_login(member)
    ok = client.post(
        "/compte/profil/",
        {"first_name": "Camille", "last_name": "Durand", "job_title": "Acheteuse", "phone": "02 40 41 42 43"},
    )
    assert ok.status_code == 302
    member.refresh_from_db()
    assert member.last_name == "Durand"
    for data in (
        {"first_name": "x" * 500, "last_name": "Durand", "job_title": "", "phone": ""},
        {"first_name": "<script>", "last_name": "Durand", "job_title": "", "phone": ""},
        {"first_name": "Camille", "last_name": "Durand", "job_title": "", "phone": "appelez-moi"},
    ):
        response = client.post("/compte/profil/", data)
        assert response.status_code == 400
        assert "Le formulaire contient des erreurs" in response.content.decode()
    member.refresh_from_db()
    assert member.last_name == "Durand" and member.first_name == "Camille"


def test_profile_cannot_change_organisation(client):
    member = MemberFactory()
    other = MemberFactory().organisation
    client.force_login(member)
    client.post(
        "/compte/profil/", {"first_name": "A", "last_name": "B", "job_title": "", "phone": "", "organisation": other.pk}
    )
    member.refresh_from_db()
    assert member.organisation != other


def test_admin_logout_is_post_only_and_ends_the_server_session(client):
    """A GET (a link or an image on any site) neither logs staff out of their browser nor leaves
    a cookie-less session alive on the server; a POST ends the server session."""
    from django.conf import settings
    from django.contrib.sessions.models import Session

    from tests.factories import EditorFactory

    client.force_login(EditorFactory())
    session_key = client.session.session_key
    response = client.get("/admin/logout/")
    assert response.status_code == 405
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert client.get("/admin/").status_code == 200  # still logged in
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME].value == ""  # cookie deleted
    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get("/admin/").status_code == 302
