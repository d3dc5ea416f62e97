"""A registration renews only the cached pages that show its seats (its owner page and the
listings tagged "seats"), not the whole page cache: other events' pages and the feeds stay cached."""

from django.core.cache import caches
from django.urls import reverse

import pytest

from base.caching import data_version, invalidate, page_cache_prefix, tag_path
from registrations.models import Occurrence
from registrations.services import cancel, register
from tests.factories import MemberFactory
from tests.factories.events import EventPageFactory, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(pages_cache):
    return pages_cache


def _seats(client, url):
    return client.get(url).content.decode()


def test_registration_renews_its_page_only(
    client, agenda, cache_on, django_assert_num_queries, django_capture_on_commit_callbacks
):
    changed = publish(EventPageFactory(parent=agenda, title="Rencontre A", capacity=10, audience="everyone"))
    other = publish(EventPageFactory(parent=agenda, title="Rencontre B", capacity=10, audience="everyone"))
    feed = reverse("events:public_feed")
    assert "10 places restantes" in _seats(client, changed.url)
    other_first = client.get(other.url)
    feed_first = client.get(feed)
    agenda_first = client.get("/agenda/")

    occurrence = Occurrence.objects.get(page=changed)
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(occurrence, user=MemberFactory())

    # The changed event's page shows the new count at once…
    assert "9 places restantes" in _seats(client, changed.url)
    # …while the other event's page, the agenda (no seat counts) and the feed are still served
    # from the cache: no query at all.
    with django_assert_num_queries(0):
        assert client.get(other.url).content == other_first.content
        assert client.get(feed).content == feed_first.content
        assert client.get("/agenda/").content == agenda_first.content

    with django_capture_on_commit_callbacks(execute=True):
        cancel(registration, notify=False)
    assert "10 places restantes" in _seats(client, changed.url)


def test_the_version_is_read_before_the_view_renders(client, agenda, cache_on, django_capture_on_commit_callbacks):
    """A change committed while a response renders leaves that response under versions that are
    already out of date: the next request renders again."""
    page = publish(EventPageFactory(parent=agenda, capacity=10))
    path = page.url
    before = page_cache_prefix(path)
    with django_capture_on_commit_callbacks(execute=True):
        invalidate(paths=[path])
    assert page_cache_prefix(path) != before
    assert page_cache_prefix("/une-autre-page/") == page_cache_prefix("/une-autre-page/")


def test_tags_renew_every_path_that_carries_them(cache_on, django_capture_on_commit_callbacks):
    tag_path("/formations/", "seats")
    catalogue, other = page_cache_prefix("/formations/"), page_cache_prefix("/ressources/")
    fragment = data_version(tags=["seats"])
    with django_capture_on_commit_callbacks(execute=True):
        invalidate(tags=["seats"])
    assert page_cache_prefix("/formations/") != catalogue
    assert page_cache_prefix("/ressources/") == other
    assert data_version(tags=["seats"]) != fragment


def test_an_evicted_version_never_brings_an_old_response_back(cache_on):
    """Versions are random tokens, not counters: a token lost from the cache gives a new key."""
    before = page_cache_prefix("/agenda/")
    caches["pages"].delete("version:path:/agenda/")
    assert page_cache_prefix("/agenda/") != before


def test_nothing_is_renewed_when_the_transaction_rolls_back(cache_on):
    from django.db import transaction

    before = page_cache_prefix("/agenda/")
    with pytest.raises(RuntimeError), transaction.atomic():
        invalidate(paths=["/agenda/"])
        raise RuntimeError
    assert page_cache_prefix("/agenda/") == before
