"""/ressources/ and /recherche/ issue the same number of SQL queries for 10 and for 1,000
resources (anonymous and member)."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from resources.models import GuidePage, MinutesPage
from sectors.models import Sector
from tests.factories import MemberFactory
from tests.factories.library import publish

pytestmark = pytest.mark.django_db

URLS = [
    "/ressources/",
    "/ressources/?type=guide&secteur=alimentation-restauration",
    "/recherche/?q=restauration&type=guide",
    "/recherche/?q=restauration&type=compte-rendu",
    "/recherche/?q=restauration&type=modele",
    "/recherche/?q=restauration&type=guide&secteur=alimentation-restauration",
]
# A results page loads its pages' own fields with one query per page type shown, so the
# unfiltered search is measured where the types shown are the same (anonymous: guides only).
ANONYMOUS_URLS = URLS + ["/recherche/?q=restauration", "/recherche/?q=restauration&page=1"]


def add_resources(index, group, count, start):
    sectors = list(Sector.objects.all()[:4])
    for n in range(start, start + count):
        page = GuidePage(
            title=f"Guide de restauration collective n° {n}",
            summary="Critères pour la restauration scolaire et les restaurants collectifs.",
            sector=sectors[n % len(sectors)],
            working_group=group if n % 3 == 0 else None,
            year=2010 + n % 15,
        )
        index.add_child(instance=page)
    publish(index.add_child(instance=MinutesPage(title=f"Compte rendu restauration {start}", working_group=group)))


def counts(client, urls=URLS):
    """Queries per URL, measured on a second request (the first fills per-process caches and
    creates the search log rows)."""
    result = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        result[url] = len(queries)
    return result


def test_listing_and_search_cost_a_fixed_number_of_queries(library):
    index, group = library["index"], library["group"]
    anonymous, member = Client(), Client()
    member.force_login(MemberFactory())
    add_resources(index, group, 10, 0)
    anonymous_small, member_small = counts(anonymous, ANONYMOUS_URLS), counts(member)

    # Ten times as many rows, several pages of each listing: a query per row would show here
    # (`make bench` measures 1,000 and more).
    add_resources(index, group, 90, 10)
    anonymous_large, member_large = counts(anonymous, ANONYMOUS_URLS), counts(member)

    assert anonymous_large == anonymous_small
    assert member_large == member_small
    print("requêtes SQL (anonyme):", anonymous_large, "(membre):", member_large)
