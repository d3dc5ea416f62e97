"""Public subscription with double opt-in, one-click unsubscribe (RFC 8058), members'
preferences, consents, and the hostile inputs of each form."""

import html
import re

from django.core import mail
from django.test import Client
from django.urls import reverse

import pytest

from newsletter.models import Consent, ConsentAction, ConsentSource, Subscriber, SubscriberStatus
from newsletter.tokens import unsubscribe_token
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/lettre/abonnement/"


def text(response):
    return html.unescape(response.text)


def _link(message):
    return re.search(r"https?://\S+", message.body).group(0).split("://", 1)[1].split("/", 1)[1]


def test_double_opt_in_subscribes_only_once_the_link_is_followed(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SUBSCRIBE, {"email": "  Claire.Martin@Exemple.FR ", "consent": "on"}, REMOTE_ADDR="192.0.2.7"
        )
    assert response.status_code == 200
    assert "Vérifiez votre messagerie" in response.text
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.status) == ("claire.martin@exemple.fr", SubscriberStatus.PENDING)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["claire.martin@exemple.fr"]
    path = "/" + _link(mail.outbox[0])

    assert client.get(path).status_code == 200  # a link checker's GET confirms nothing
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING

    response = client.post(path, REMOTE_ADDR="192.0.2.8")
    assert response.status_code == 200 and "Abonnement confirmé" in response.text
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE and subscriber.confirmed_at
    consents = list(subscriber.consents.values_list("action", "source", "ip_address"))
    assert consents == [
        (ConsentAction.REQUESTED, ConsentSource.FORM, "192.0.2.7"),
        (ConsentAction.CONFIRMED, ConsentSource.EMAIL_LINK, "192.0.2.8"),
    ]


def test_asking_again_sends_no_second_mail_and_says_the_same(client, django_capture_on_commit_callbacks):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(SUBSCRIBE, {"email": "a@exemple.fr", "consent": "on"})
        assert response.status_code == 200
    assert len(mail.outbox) == 1
    assert Subscriber.objects.count() == 1


@pytest.mark.parametrize(
    "email, message",
    [
        ("victime@exemple.fr\r\nBcc: tous@exemple.fr", "retour à la ligne"),
        ("victime@exemple.fr\nSubject: piège", "retour à la ligne"),
        ("x" * 10_000 + "@exemple.fr", "trop longue"),
        ("pas-une-adresse", "adresse électronique valide"),
        ("<script>@exemple.fr", "adresse électronique valide"),
        ("", "Saisissez votre adresse électronique"),
    ],
    ids=["crlf-bcc", "lf-subject", "10kB-local-part", "malformed", "markup", "empty"],
)
def test_hostile_addresses_get_a_french_400_and_nothing_is_stored(client, email, message):
    response = client.post(SUBSCRIBE, {"email": email, "consent": "on"})
    assert response.status_code == 400
    assert message in text(response)
    assert not Subscriber.objects.exists() and not mail.outbox


def test_consent_box_is_required(client):
    response = client.post(SUBSCRIBE, {"email": "a@exemple.fr"})
    assert response.status_code == 400 and "Cochez la case" in response.text


def test_subscription_flooding_is_rate_limited(client):
    statuses = [
        client.post(SUBSCRIBE, {"email": f"flood{n}@exemple.fr", "consent": "on"}).status_code for n in range(12)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429, 429]
    assert Subscriber.objects.count() == 10


@pytest.mark.parametrize("token", ["forged", "eyJlIjoiYUBiLmZyIn0:AAAAAAAAAAAAAAAAAAAAAAAAAAA", "x" * 5000])
def test_forged_confirmation_and_unsubscribe_tokens_are_refused(client, token):
    confirm = client.post(reverse("newsletter:confirm", args=[token]))
    unsubscribe = client.post(reverse("newsletter:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"})
    assert confirm.status_code == 400 and "n'est pas valide" in text(confirm)
    assert unsubscribe.status_code == 400 and "n'est pas valide" in text(unsubscribe)
    assert not Subscriber.objects.exists()


def test_tampered_unsubscribe_token_for_another_address_is_refused(client):
    token = unsubscribe_token("a@exemple.fr")
    payload, signature = token.rsplit(":", 1)
    other = unsubscribe_token("b@exemple.fr").rsplit(":", 1)[0]
    response = client.post(reverse("newsletter:unsubscribe", args=[f"{other}:{signature}"]))
    assert response.status_code == 400


def test_one_click_unsubscribe_needs_no_login_and_no_csrf_token():
    subscriber = Subscriber.objects.create(email="a@exemple.fr", status=SubscriberStatus.ACTIVE)
    client = Client(enforce_csrf_checks=True)
    url = reverse("newsletter:unsubscribe", args=[unsubscribe_token("a@exemple.fr")])
    page = client.get(url)
    assert page.status_code == 200 and "Me désabonner" in page.text and "Set-Cookie" not in page.headers
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE  # a GET unsubscribes nobody
    response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED and subscriber.unsubscribed_at
    assert subscriber.consents.get().source == ConsentSource.ONE_CLICK
    client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert Consent.objects.count() == 1  # twice is once


def test_a_member_manages_letters_and_sectors_in_my_account(client):
    from sectors.models import Sector

    member = MemberFactory(email="Agent@Ville.fr")
    client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/compte/")
    assert "La lettre RESECO" in page.text and 'name="members_letters"' in page.text
    sector = Sector.objects.first()
    response = client.post(
        reverse("newsletter:preferences"), {"public_letter": "on", "members_letters": "", "sectors": [sector.pk]}
    )
    assert response.status_code == 302
    subscriber = Subscriber.objects.get(user=member)
    assert subscriber.email == "agent@ville.fr"
    assert (subscriber.public_letter, subscriber.members_letters) == (True, False)
    assert list(subscriber.sectors.all()) == [sector]
    assert subscriber.consents.get().source == ConsentSource.ACCOUNT
    bad = client.post(reverse("newsletter:preferences"), {"sectors": ["999999"]})
    assert bad.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.public_letter  # nothing lost


def test_preferences_need_a_login(client):
    response = client.post(reverse("newsletter:preferences"), {"public_letter": "on"})
    assert response.status_code == 302 and "connexion" in response["Location"]


def test_consents_are_exported_and_erasure_removes_the_subscriber():
    from personaldata.services import erase_email, erase_person, export_person

    user = UserFactory(email="public@exemple.fr")
    from newsletter import services

    services.update_preferences(user, public_letter=True, members_letters=False, sectors=[], ip="192.0.2.1")
    exported = export_person(user)
    consents = exported["lettre"]["abonnement"]["consentements"]
    assert consents[0]["action"] == "preferences" and consents[0]["adresse_ip"] == "192.0.2.1"
    erase_person(user, actor=None)
    assert not Subscriber.objects.exists() and not Consent.objects.exists()

    Subscriber.objects.create(email="sans-compte@exemple.fr", status=SubscriberStatus.ACTIVE)
    erase_email("Sans-Compte@exemple.fr", actor=None)
    assert not Subscriber.objects.exists()
