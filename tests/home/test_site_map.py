"""« Plan du site »: a readable page of the public tree (issue 14: the footer opened the raw XML
sitemap), shared from the cache, without members-only pages; sitemap.xml stays for robots."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from tests.factories import MemberFactory, StandardPageFactory, WorkingGroupIndexPageFactory, WorkingGroupPageFactory
from tests.factories.events import EventIndexPageFactory, EventPageFactory, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(home_page):
    about = StandardPageFactory(parent=home_page, title="Le réseau", slug="le-reseau")
    StandardPageFactory(parent=about, title="Notre équipe", slug="equipe")
    members = StandardPageFactory(parent=home_page, title="Espace membres", slug="espace-membres")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    StandardPageFactory(parent=members, title="Annuaire des référents", slug="annuaire")
    groups = WorkingGroupIndexPageFactory(parent=home_page, title="Groupes de travail")
    WorkingGroupPageFactory(parent=groups, title="Textiles")
    agenda = EventIndexPageFactory(parent=home_page, title="Agenda")
    publish(EventPageFactory(parent=agenda, title="Journée textile"))
    return home_page


def test_footer_links_the_html_site_map_which_shows_the_public_tree(client, tree):
    assert 'href="/plan-du-site/">Plan du site' in client.get("/").content.decode()
    response = client.get("/plan-du-site/")
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    for title in ("Le réseau", "Notre équipe", "Groupes de travail", "Textiles", "Agenda"):
        assert f">{title}</a>" in html
    # Dated items are found in their section, and members-only pages are not listed.
    assert "Journée textile" not in html
    assert "Espace membres" not in html and "Annuaire des référents" not in html
    assert 'href="/sitemap.xml"' in html
    assert client.get("/sitemap.xml")["Content-Type"].startswith("application/xml")


def test_site_map_is_the_same_for_everyone_and_shareable(client, tree):
    anonymous = client.get("/plan-du-site/")
    assert "public" in anonymous["Cache-Control"] and not anonymous.cookies
    client.force_login(MemberFactory())
    assert "Espace membres" not in client.get("/plan-du-site/").content.decode()


def test_site_map_costs_a_fixed_number_of_queries(client, tree):
    def queries():
        client.get("/plan-du-site/")
        with CaptureQueriesContext(connection) as captured:
            client.get("/plan-du-site/")
        return len(captured.captured_queries)

    before = queries()
    groups = tree.get_children().get(title="Groupes de travail")
    for n in range(15):
        WorkingGroupPageFactory(parent=groups, title=f"Groupe {n}")
    assert queries() == before
