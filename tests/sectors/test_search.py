"""The network's sectors come from a data migration: the chooser's search must still find them."""

from django.urls import reverse

from wagtail.search.backends import get_search_backend

import pytest

from sectors.apps import index_sectors
from sectors.models import Sector
from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db


def slugs(query):
    return [sector.slug for sector in get_search_backend().search(query, Sector)]


def test_built_in_sectors_are_found_by_search():
    assert Sector.objects.filter(slug="textiles").exists()  # from the data migration
    assert slugs("textile") == ["textiles"]
    assert "energie" in slugs("énergie")


def test_the_sector_chooser_finds_textiles(client):
    client.force_login(EditorFactory())
    response = client.get(reverse("wagtailsnippetchoosers_sectors_sector:choose_results"), {"q": "Textile"})
    assert response.status_code == 200
    assert "Textiles" in response.content.decode()


def test_migrate_indexes_them_and_indexing_again_is_harmless():
    from django.core.management import call_command

    for sector in Sector.objects.all():
        get_search_backend().delete(sector)
    assert slugs("textile") == []  # the state the data migration left behind
    call_command("migrate", verbosity=0)  # nothing to apply: post_migrate still runs
    assert slugs("textile") == ["textiles"]
    index_sectors()
    assert slugs("textile") == ["textiles"]
