"""Public feeds behind the shared page cache (home/caching.py) still answer conditional GETs with
304, and a cancelled occurrence shows at once (the engine's signals clear the cache)."""

from django.urls import reverse

import pytest

from registrations.models import Occurrence
from registrations.occurrences import cancel_occurrence
from tests.factories.events import EventPageFactory, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(pages_cache):
    return pages_cache


def test_cached_feed_answers_304_and_follows_changes(
    client, agenda, cache_on, django_assert_num_queries, django_capture_on_commit_callbacks
):
    page = publish(EventPageFactory(parent=agenda, repeat="weekly", repeat_count=3))
    url = reverse("events:public_feed")
    first = client.get(url)
    assert first.status_code == 200 and "public" in first["Cache-Control"]
    with django_assert_num_queries(0):  # served from the shared cache
        cached = client.get(url)
    assert cached.status_code == 200 and cached.content == first.content
    with django_assert_num_queries(0):
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):  # the cache is cleared on commit
        cancel_occurrence(Occurrence.objects.filter(page=page).first(), reason="Annulée")
    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and b"STATUS:CANCELLED" in after.content
