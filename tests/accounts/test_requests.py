"""« Demander un compte »: verified e-mail, same answer for known addresses, approval by staff."""

import datetime

from django.core import signing
from django.core.cache import cache

import pytest
import time_machine

from accounts import services
from accounts.models import AccountRequest, Invitation, RequestStatus
from accounts.tokens import REQUEST_SALT
from members.models import User
from tests.factories import EditorFactory, MemberFactory

from .conftest import link_in

pytestmark = pytest.mark.django_db


def form(chosen, **extra):
    return {
        "first_name": "Léa",
        "last_name": "Bernard",
        "email": "lea.bernard@nantes.fr",
        "organisation": str(chosen.pk),
        "other_organisation": "",
        "job_title": "Acheteuse",
        **extra,
    }


def ask(client, sent, data):
    with sent() as block:
        response = client.post("/compte/demande/", data)
    return response, block.messages


def test_request_is_stored_only_once_its_email_is_verified(client, sent, nantes, home_page):
    response, messages = ask(client, sent, form(nantes))
    assert response.status_code == 200 and "Vérifiez votre messagerie" in response.content.decode()
    assert not AccountRequest.objects.exists()
    assert len(messages) == 1 and messages[0].to == ["lea.bernard@nantes.fr"]
    link = link_in(messages[0])
    assert client.get(link).status_code == 200
    assert client.get(link).status_code == 200  # opened twice: still one request
    request = AccountRequest.objects.get()
    assert (request.status, request.organisation, request.job_title) == (RequestStatus.PENDING, nantes, "Acheteuse")


def test_a_known_address_gets_the_same_page_and_an_email_offering_a_password_reset(client, sent, nantes, colleague):
    new_response, _ = ask(client, sent, form(nantes))
    known_response, messages = ask(client, sent, form(nantes, email=colleague.email.upper()))
    assert known_response.status_code == new_response.status_code == 200
    strip = lambda r, email: r.content.decode().replace(email, "@")  # noqa: E731
    assert strip(known_response, colleague.email.upper()) == strip(new_response, "lea.bernard@nantes.fr")
    assert "déjà un compte" in messages[0].subject and "/compte/mot-de-passe/" in messages[0].body
    assert "/compte/demande/verifier/" not in messages[0].body
    assert not AccountRequest.objects.exists()


@pytest.mark.parametrize("token", ["forged", "a" * 500, "other-salt"])
def test_forged_verification_link_is_a_french_400(client, token):
    if token == "other-salt":  # a genuine signature for another purpose
        token = signing.dumps({"email": "x@y.fr"}, salt="other")
    response = client.get(f"/compte/demande/verifier/{token}/")
    assert response.status_code == 400 and "pas valable" in response.content.decode()
    assert not AccountRequest.objects.exists()


def test_expired_verification_link_is_refused(client, sent, nantes):
    _, messages = ask(client, sent, form(nantes))
    with time_machine.travel(datetime.datetime.now() + datetime.timedelta(days=3)):
        response = client.get(link_in(messages[0]))
    assert response.status_code == 400
    assert not AccountRequest.objects.exists()


def test_other_organisation_needs_a_name(client, nantes):
    response = client.post("/compte/demande/", form(nantes, organisation="autre"))
    assert response.status_code == 400 and "Indiquez le nom de votre organisation" in response.content.decode()


@pytest.mark.parametrize(
    "bad", [{"email": "pas-une-adresse"}, {"organisation": "999999"}, {"first_name": "<script>"}, {"job_title": ""}]
)
def test_bad_input_is_a_french_400(client, nantes, bad):
    response = client.post("/compte/demande/", form(nantes, **bad))
    assert response.status_code == 400 and "Le formulaire contient des erreurs" in response.content.decode()


def test_public_form_is_rate_limited(client, nantes, settings, sent):
    cache.clear()
    settings.RATE_LIMITS = {"account": (2, 3600)}
    statuses = [ask(client, sent, form(nantes, email=f"p{i}@nantes.fr"))[0].status_code for i in range(3)]
    assert statuses == [200, 200, 429]


def test_staff_see_the_organisation_suggested_by_the_email_domain(client, nantes, colleague):
    request = AccountRequest.objects.create(
        first_name="Léa", last_name="B", email="lea@nantes.fr", other_organisation="Mairie", job_title="x"
    )
    webmail = AccountRequest.objects.create(first_name="A", last_name="B", email="a@gmail.com", job_title="x")
    MemberFactory(email="b@gmail.com", organisation=nantes)
    assert services.suggested_organisations([request, webmail]) == {request.pk: nantes}
    client.force_login(EditorFactory())
    html = client.get("/admin/reseau/demandes-de-compte/").content.decode()
    assert "Ville de Nantes" in html and "autre : Mairie" in html


def test_approval_creates_the_account_and_sends_a_set_password_link(client, sent, nantes):
    request = AccountRequest.objects.create(
        first_name="Léa", last_name="B", email="lea@nantes.fr", organisation=nantes, job_title="x"
    )
    client.force_login(EditorFactory())
    with sent() as block:
        response = client.post(f"/admin/reseau/demandes-de-compte/{request.pk}/accepter/", {"organisation": nantes.pk})
    assert response.status_code == 302
    user = User.objects.get(email="lea@nantes.fr")
    assert user.organisation == nantes and user.is_member and not user.has_usable_password()
    assert Invitation.objects.filter(user=user).exists()
    link = link_in(block.messages[0])
    assert link.startswith("/compte/bienvenue/")
    client.logout()
    response = client.post(
        link, {"new_password1": "un-mot-de-passe-solide-42", "new_password2": "un-mot-de-passe-solide-42"}
    )
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
    assert client.get(link).status_code == 400  # used once: dead


def test_approving_twice_or_a_decided_request_is_refused(client, nantes):
    request = AccountRequest.objects.create(first_name="L", last_name="B", email="l@nantes.fr", job_title="x")
    editor = EditorFactory()
    services.approve(request, editor, organisation=nantes)
    client.force_login(editor)
    response = client.post(f"/admin/reseau/demandes-de-compte/{request.pk}/refuser/", {"message": "non"}, follow=True)
    assert "déjà été traitée" in response.content.decode()
    assert User.objects.filter(email="l@nantes.fr").count() == 1


def test_decline_needs_a_message_and_emails_it(client, sent, nantes):
    request = AccountRequest.objects.create(first_name="L", last_name="B", email="l@nantes.fr", job_title="x")
    client.force_login(EditorFactory())
    client.post(f"/admin/reseau/demandes-de-compte/{request.pk}/refuser/", {"message": ""})
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    with sent() as block:
        client.post(f"/admin/reseau/demandes-de-compte/{request.pk}/refuser/", {"message": "Adresse personnelle."})
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED
    assert "Adresse personnelle." in block.messages[0].body
    assert not User.objects.filter(email="l@nantes.fr").exists()


def test_members_cannot_reach_the_staff_screens(client, nantes):
    request = AccountRequest.objects.create(first_name="L", last_name="B", email="l@nantes.fr", job_title="x")
    client.force_login(MemberFactory(organisation=nantes))
    response = client.post(f"/admin/reseau/demandes-de-compte/{request.pk}/accepter/", {"organisation": nantes.pk})
    assert response.status_code in (302, 403)
    assert not User.objects.filter(email="l@nantes.fr").exists()


def test_verification_payload_cannot_choose_a_non_member_organisation(nantes):
    from tests.factories import OrganisationFactory

    former = OrganisationFactory(member_until=datetime.date(2019, 12, 31))
    token = signing.dumps(
        {**form(former), "organisation": former.pk, "email": "x@cholet.fr"}, salt=REQUEST_SALT, compress=True
    )
    request = services.confirm_request(token)
    assert request.organisation is None


def test_staff_menu_lists_the_account_screens_under_network(client):
    client.force_login(EditorFactory())
    html = client.get("/admin/").content.decode()
    for url in (
        "/admin/reseau/demandes-de-compte/",
        "/admin/reseau/demandes-de-compte/inviter/",
        "/admin/reseau/referents/",
    ):
        assert url in html


def test_one_address_gets_three_emails_an_hour_at_most_with_the_same_page(client, sent, nantes):
    cache.clear()
    answers = [ask(client, sent, form(nantes)) for _ in range(5)]
    assert [len(messages) for _, messages in answers] == [1, 1, 1, 0, 0]
    assert {response.status_code for response, _ in answers} == {200}
