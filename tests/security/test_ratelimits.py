"""Rate limits on public writes and on search: the request past the limit gets a French 429,
the window resets, and one person's flood never blocks another."""

from types import SimpleNamespace

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

import pytest

from base import ratelimit
from members.audience import Audience
from registrations.models import Registration
from tests.factories import MemberFactory
from tests.factories.library import library  # noqa: F401 (fixture)
from tests.factories.registrations import OccurrenceFactory

pytestmark = pytest.mark.django_db

FRENCH = "Vous avez envoyé trop de demandes en peu de temps"


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """A fixed clock for the limiter: tests move it to cross a window."""
    cache.clear()
    now = SimpleNamespace(value=1_800_000_000.0)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now.value))
    return now


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {"register": (3, 3600), "apply": (3, 3600), "search": (3, 60)}
    settings.REGISTRATIONS_GUEST_RATE_LIMIT = (100, 3600)


def register_url(occurrence):
    return reverse("registrations:register", kwargs={"occurrence_id": occurrence.pk})


def assert_limited(response):
    assert response.status_code == 429
    assert FRENCH in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]


def test_member_registration_fourth_post_is_429_and_others_are_unaffected(client, limits):
    occurrences = [OccurrenceFactory(capacity=10) for _ in range(4)]
    member, other = MemberFactory(), MemberFactory()
    client.force_login(member)
    statuses = [client.post(register_url(o), {}).status_code for o in occurrences[:3]]
    assert statuses == [302, 302, 302]
    assert_limited(client.post(register_url(occurrences[3]), {}))
    assert Registration.objects.filter(user=member).count() == 3
    # Reading the form is not a write: never limited.
    assert client.get(register_url(occurrences[3])).status_code == 200
    # Another member (same IP address) registers freely.
    client.force_login(other)
    assert client.post(register_url(occurrences[3]), {}).status_code == 302


def test_the_limit_resets_with_the_next_window(client, limits, clock):
    occurrences = [OccurrenceFactory(capacity=10) for _ in range(5)]
    client.force_login(MemberFactory())
    for occurrence in occurrences[:3]:
        client.post(register_url(occurrence), {})
    assert_limited(client.post(register_url(occurrences[3]), {}))
    clock.value += 3600
    assert client.post(register_url(occurrences[3]), {}).status_code == 302


def test_guest_sign_up_is_limited_per_ip_address(client, limits):
    occurrence = OccurrenceFactory(capacity=10, audience=Audience.EVERYONE)

    def post(n, ip):
        data = {"first_name": "Léa", "last_name": "Invitée", "email": f"lea{n}@exemple.fr"}
        return client.post(register_url(occurrence), data, REMOTE_ADDR=ip)

    assert [post(n, "203.0.113.1").status_code for n in range(3)] == [302, 302, 302]
    assert_limited(post(3, "203.0.113.1"))
    assert post(4, "203.0.113.2").status_code == 302  # another address is unaffected
    assert Registration.objects.count() == 4


def test_supplier_applications_are_limited(client, limits):
    occurrence = OccurrenceFactory(capacity=10, audience=Audience.SUPPLIERS, kind="market_engagement")
    url = reverse("registrations:apply", kwargs={"occurrence_id": occurrence.pk})
    assert [client.post(url, {}).status_code for _ in range(3)] == [400, 400, 400]
    assert_limited(client.post(url, {}))
    assert client.get(url).status_code == 200
    assert client.post(url, {}, REMOTE_ADDR="203.0.113.9").status_code == 400


def test_search_is_limited_and_resets(client, limits, clock, library):  # noqa: F811
    assert [client.get(f"/recherche/?q=guide{n}").status_code for n in range(3)] == [200, 200, 200]
    assert_limited(client.get("/recherche/?q=guide"))
    assert client.get("/recherche/?q=guide", REMOTE_ADDR="203.0.113.5").status_code == 200
    clock.value += 60
    assert client.get("/recherche/?q=guide").status_code == 200


def test_default_limits_apply_without_settings(settings):
    del settings.RATE_LIMITS
    assert ratelimit.limit_for("search") == ratelimit.DEFAULT_LIMITS["search"]


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "198.51.100.7", "10.0.0.1"),  # no proxy trusted: the header is the client's word, ignored
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.66, 198.51.100.7", "198.51.100.7"),  # a forged entry on the left changes nothing
        (2, "198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "10.0.0.1"),  # fewer entries than proxies: the socket's address
    ],
)
def test_client_address_behind_trusted_proxies(rf, settings, proxies, forwarded, expected):
    settings.PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert ratelimit.client_ip(request) == expected


def test_behind_a_proxy_each_visitor_has_their_own_limit(client, limits, settings, library):  # noqa: F811
    settings.PROXY_COUNT = 1

    def search(visitor):
        return client.get("/recherche/?q=guide", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=visitor)

    assert [search("198.51.100.1").status_code for _ in range(3)] == [200, 200, 200]
    assert_limited(search("198.51.100.1"))
    assert search("198.51.100.2").status_code == 200  # same proxy, another visitor


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, PROXY_COUNT=1)
def test_login_throttling_behind_a_proxy_locks_out_the_visitor_not_the_proxy(client):
    MemberFactory(email="sophie@nantes.fr")

    def login(visitor, password="faux"):
        data = {"username": "sophie@nantes.fr", "password": password}
        return client.post("/compte/connexion/", data, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=visitor)

    assert [login("198.51.100.1").status_code for _ in range(3)][-1] == 429
    # The same person from another address, through the same proxy, may still log in.
    assert login("198.51.100.2", password="motdepasse-test").status_code == 302
