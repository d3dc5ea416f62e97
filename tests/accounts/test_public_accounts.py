"""« Créer un compte »: anyone, e-mail verified, non-member prices; the paid-training path for a
visitor without an account offers it."""

import datetime

from django.utils import timezone

import pytest
import time_machine

from members.models import User
from tests.factories import StandardPageFactory
from tests.factories.attendance import OccurrenceFactory
from tests.factories.trainings import TrainingIndexPageFactory, training_with_runs

from .conftest import link_in

pytestmark = pytest.mark.django_db
PASSWORD = {"new_password1": "un-mot-de-passe-solide-42", "new_password2": "un-mot-de-passe-solide-42"}


def sign_up(client, sent, email="alex@exemple.org", **extra):
    with sent() as block:
        response = client.post("/compte/creer/", {"first_name": "Alex", "last_name": "Roy", "email": email, **extra})
    return response, block.messages


def test_public_account_is_created_once_the_email_is_verified(client, sent, home_page):
    response, messages = sign_up(client, sent, next="/payments/formation/1/")
    assert response.status_code == 200 and not User.objects.filter(email="alex@exemple.org").exists()
    link = link_in(messages[0])
    assert client.get(link).status_code == 200
    response = client.post(link, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/payments/formation/1/"
    user = User.objects.get(email="alex@exemple.org")
    assert user.organisation is None and not user.is_member and user.check_password(PASSWORD["new_password1"])
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(link).status_code == 409  # the account exists now: log in instead


def test_next_never_leaves_the_site(client, sent):
    _, messages = sign_up(client, sent, next="https://evil.example/")
    response = client.post(link_in(messages[0]), PASSWORD)
    assert response["Location"] == "/compte/"


def test_an_existing_address_gets_the_same_page(client, sent, colleague):
    new, _ = sign_up(client, sent)
    known, messages = sign_up(client, sent, email=colleague.email)
    assert new.status_code == known.status_code == 200
    assert new.content.decode().replace("alex@exemple.org", "@") == known.content.decode().replace(colleague.email, "@")
    assert "/compte/mot-de-passe/" in messages[0].body and "/compte/creer/" not in messages[0].body


def test_expired_or_forged_signup_links_are_refused(client, sent):
    _, messages = sign_up(client, sent)
    link = link_in(messages[0])
    with time_machine.travel(datetime.datetime.now() + datetime.timedelta(days=3)):
        assert client.post(link, PASSWORD).status_code == 400
    assert client.get(link[:-5] + "xxxx/").status_code == 400
    assert not User.objects.filter(email="alex@exemple.org").exists()


def test_weak_password_is_a_french_400(client, sent):
    _, messages = sign_up(client, sent)
    response = client.post(link_in(messages[0]), {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 400 and "Le formulaire contient des erreurs" in response.content.decode()
    assert not User.objects.filter(email="alex@exemple.org").exists()


def test_login_page_offers_both_ways_to_get_an_account(client):
    html = client.get("/compte/connexion/?next=/agenda/").content.decode()
    assert "/compte/demande/" in html and "/compte/creer/?next=/agenda/" in html.replace("%2F", "/")


def test_public_account_pays_the_non_member_price(client, sent, home_page):
    run = training_with_runs(TrainingIndexPageFactory(parent=home_page)).occurrences.get()
    start = f"/payments/formation/{run.pk}/"
    landing = client.get(f"/inscriptions/{run.pk}/", follow=True)
    assert landing.redirect_chain[-1][0] == start
    assert "Créer un compte" in landing.content.decode() and "tarif non-membre" in landing.content.decode()
    _, messages = sign_up(client, sent, next=start)
    response = client.post(link_in(messages[0]), PASSWORD, follow=True)
    assert response.redirect_chain[-1][0] == start
    html = response.content.decode()
    assert "720" in html and "360" not in html  # 600 HT + 20 % VAT: the non-member price, not the member one


@pytest.mark.parametrize(
    ("audience", "offered"), [("everyone", "/compte/creer/?next="), ("members", "/compte/demande/")]
)
def test_registration_page_offers_an_account_to_anonymous_visitors(client, home_page, audience, offered):
    start = timezone.now() + datetime.timedelta(days=10)
    occurrence = OccurrenceFactory(page=StandardPageFactory(parent=home_page), audience=audience, start=start)
    html = client.get(f"/inscriptions/{occurrence.pk}/").content.decode()
    assert offered in html
