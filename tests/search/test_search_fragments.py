"""/recherche/ shared from the cache: only by people who may open the same pages and documents
(members-only minutes never reach an anonymous visitor or a supplier through what a member's
search stored, nor the exchange's questions); a page made private or unpublished and a new
document show at once; a refused search keeps its French 400; every search is still counted;
and the queries of one search do not grow with the number of events."""

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.search_promotions.models import Query
from wagtail.models import PageViewRestriction

import pytest

from search.models import SearchLog
from tests.factories import MemberFactory, SupplierContactFactory
from tests.factories.events import EventIndexPageFactory, make_events, paris
from tests.factories.exchange import QuestionFactory, exchange_page  # noqa: F401 (fixture)
from tests.factories.library import DocumentFactory, GuidePageFactory, MinutesPageFactory, members_document, publish
from tests.utils import log_in_as, main_of

pytestmark = pytest.mark.django_db

MINUTES = "Compte rendu confidentiel compostage"
ANNEX = "Annexe confidentielle compostage"
QUESTION = "Compostage des biodéchets en cantine"


@pytest.fixture
def secrets(library, exchange_page):  # noqa: F811
    publish(MinutesPageFactory(parent=library["index"], title=MINUTES))
    members_document(ANNEX)
    DocumentFactory(title="Fiche publique compostage")
    QuestionFactory(title=QUESTION, body="Quel prestataire pour le compostage ?")


@pytest.mark.usefixtures("pages_cache", "secrets")
def test_members_only_results_never_leave_the_members_fragment(client):
    people = {"member": MemberFactory(), "supplier": SupplierContactFactory(), "anonymous": None}
    for turn in range(2):  # the second round is served from what the first stored, in any order
        for name in ("member", "anonymous", "supplier", "member", "anonymous", "supplier"):
            log_in_as(client, people[name])
            body = main_of(client, f"/recherche/?q=compostage&bust={turn}{name}")
            member = name == "member"
            seen = (MINUTES in body, ANNEX in body, QUESTION in body, "Fiche publique compostage" in body)
            assert seen == (member, member, member, True), (turn, name)
            assert "bust" not in body  # the fragment never carries the asker's own parameters


def test_a_page_made_private_or_unpublished_leaves_the_cached_results_at_once(
    client, library, pages_cache, django_capture_on_commit_callbacks
):
    guide = publish(GuidePageFactory(parent=library["index"], title="Guide lombricompostage"))
    member = MemberFactory()
    for user in (None, member):
        log_in_as(client, user)
        assert "Guide lombricompostage" in main_of(client, "/recherche/?q=lombricompostage")
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=guide, restriction_type=PageViewRestriction.LOGIN)
    log_in_as(client, None)
    assert "Guide lombricompostage" not in main_of(client, "/recherche/?q=lombricompostage&x=1")
    log_in_as(client, member)
    assert "Guide lombricompostage" in main_of(client, "/recherche/?q=lombricompostage&x=1")
    with django_capture_on_commit_callbacks(execute=True):
        guide.unpublish()
    assert "Guide lombricompostage" not in main_of(client, "/recherche/?q=lombricompostage&x=2")
    with django_capture_on_commit_callbacks(execute=True):
        DocumentFactory(title="Fiche lombricompostage")
    assert "Fiche lombricompostage" in main_of(client, "/recherche/?q=lombricompostage&x=3")


@pytest.mark.usefixtures("pages_cache")
@pytest.mark.parametrize("query", ["x" * 201, "bio" + " " * 200 + "cantine", " ".join(["mot"] * 16), "'\"&|!():*<>"])
def test_a_refused_search_keeps_its_400_from_the_cache(client, library, query):
    for bust in ("1", "2"):
        response = client.get("/recherche/", {"q": query, "x": bust})
        assert response.status_code == 400, bust
        assert 'role="alert"' in response.content.decode()
    # « bio cantine » normalises like the too long one, but is accepted: never answered with its refusal.
    accepted = client.get("/recherche/", {"q": "bio cantine"})
    assert accepted.status_code == 200 and 'role="alert"' not in accepted.content.decode()


@pytest.mark.usefixtures("pages_cache")
def test_searches_answered_from_the_cache_are_counted(client, library):
    GuidePageFactory(parent=library["index"], title="Guide vermicompostage")
    for bust in range(3):
        client.get(f"/recherche/?q=Vermicompostage&x={bust}")
        client.get(f"/recherche/?q=introuvablexyz&x={bust}")
    client.get("/recherche/?q=vermicompostage&page=1")  # paging is not a new search
    found = SearchLog.objects.get(query_string="vermicompostage")
    assert (found.hits, found.zero_result_hits, found.last_result_count) == (3, 0, 1)
    nothing = SearchLog.objects.get(query_string="introuvablexyz")
    assert (nothing.hits, nothing.zero_result_hits) == (3, 3)
    assert Query.objects.get(query_string="vermicompostage").hits == 3


def _queries(client, url):
    client.get(f"{url}&x=warm")  # Wagtail caches the site's root paths; the fragment is stored
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{url}&x=count")
    assert response.status_code == 200
    return len(ctx.captured_queries)


SEARCHES = ["/recherche/?q=rencontre", "/recherche/?q=rencontre&page=2", "/recherche/?q=rencontre&type=evenement"]
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


def _all_counts(client, member):
    """{(visitor, computed or from the cache, url): queries}; the cache emptied first."""
    counts = {}
    for user in (None, member):
        log_in_as(client, user)
        for cached in (False, True):  # the test settings have no page cache: each search is computed
            pages = {"BACKEND": LOCMEM, "LOCATION": "counts"} if cached else settings.CACHES["pages"]
            with override_settings(CACHES={**settings.CACHES, "pages": pages}):
                caches["pages"].clear()
                for url in SEARCHES:
                    counts[(bool(user), cached, url)] = _queries(client, url)
    return counts


@pytest.mark.postgres  # the counts of production's search backend (the SQLite fallback is not measured)
def test_a_search_costs_the_same_queries_from_20_to_1000_events(client, library):
    agenda = EventIndexPageFactory(parent=library["home"])
    GuidePageFactory(parent=library["index"], title="Guide des rencontres")
    make_events(agenda, 20, start=paris(2030, 1, 7, 14))
    member = MemberFactory()
    small = _all_counts(client, member)
    make_events(agenda, 980, start=paris(2030, 2, 7, 14))
    big = _all_counts(client, member)
    assert small == big
    # From the cache: routing, privacy and the three statements of the statistics, none of the search.
    assert max(count for (user, cached, _url), count in big.items() if cached and not user) <= 9
    assert max(count for (user, cached, _url), count in big.items() if cached and user) <= 12
    assert min(count for (_user, cached, _url), count in big.items() if not cached) > 12
