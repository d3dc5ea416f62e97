"""Anonymous pages are shared from the cache; personal ones never are."""

from django.core.cache import caches
from django.test import override_settings

import pytest

from tests.factories import MemberFactory, StandardPageFactory
from tests.factories.events import EventIndexPageFactory

PAGES_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages-test"},
}

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cache_on")]


@pytest.fixture
def cache_on():
    with override_settings(CACHES=PAGES_CACHE):
        caches["pages"].clear()
        yield
        caches["pages"].clear()


def test_anonymous_page_is_public_and_served_from_cache(client, home_page, django_assert_num_queries):
    first = client.get("/")
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    assert not first.cookies
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.content == first.content


def test_logged_in_person_gets_a_private_page_never_the_cached_one(client, home_page):
    client.get("/")  # an anonymous copy is now cached
    member = MemberFactory(first_name="Sophie", last_name="Le Goff")
    client.force_login(member)
    response = client.get("/")
    assert "private" in response["Cache-Control"]
    assert "Sophie Le Goff" in response.content.decode()
    client.logout()
    assert "Sophie Le Goff" not in client.get("/").content.decode()


def test_form_pages_that_set_a_cookie_are_not_cached(client, home_page):
    response = client.get("/compte/connexion/")
    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]


def test_publishing_clears_the_cache(client, home_page, django_capture_on_commit_callbacks):
    page = StandardPageFactory(parent=home_page, slug="a-propos", title="Ancien titre")
    assert "Ancien titre" in client.get("/a-propos/").content.decode()
    page.title = "Nouveau titre"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert "Nouveau titre" in client.get("/a-propos/").content.decode()


def _cached_entries():
    # LocMemCache's store: the responses the middleware wrote (not data versions or fragments)
    return len([key for key in caches["pages"]._cache if "views.decorators.cache" in key])


def test_post_is_never_cached(client, home_page):
    StandardPageFactory(parent=home_page, slug="a-propos", title="À propos")
    response = client.post("/a-propos/")
    assert response.status_code == 200
    assert _cached_entries() == 0
    client.get("/a-propos/")  # control: the same page asked with GET is stored
    assert _cached_entries() > 0


@pytest.mark.parametrize("path", ["/", "/agenda/", "/calendrier/agenda.ics"])
def test_a_parameter_no_page_reads_is_served_but_not_stored(client, home_page, path, django_assert_num_queries):
    """``?utm_source=…`` or a cache-buster would otherwise store one copy of the page per value."""
    EventIndexPageFactory(parent=home_page, slug="agenda")
    client.get(path)
    with django_assert_num_queries(0):
        assert client.get(path).status_code == 200  # the plain address comes from the cache
    stored = len(caches["pages"]._cache)
    for value in ("a", "b", "a"):
        response = client.get(f"{path}?utm_source={value}")
        assert response.status_code == 200
        assert "public" in response["Cache-Control"]
    assert len(caches["pages"]._cache) == stored  # served, nothing more stored


def test_a_parameter_the_page_reads_is_stored(client, home_page, django_assert_num_queries):
    EventIndexPageFactory(parent=home_page, slug="agenda")
    month = client.get("/agenda/?vue=mois")
    assert month.status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/agenda/?vue=mois").content == month.content
