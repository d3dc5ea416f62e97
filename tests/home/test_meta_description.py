"""Every page has a <meta name="description"> (issue 14: none had one): the editor's promotion
text, else the page type's own lead-in, else the network's description; plain text, 160 characters."""

import re

import pytest

from tests.factories import StandardPageFactory, WorkingGroupIndexPageFactory, WorkingGroupPageFactory
from tests.factories.events import EventIndexPageFactory, EventPageFactory, publish
from tests.factories.library import ResourceIndexPageFactory

pytestmark = pytest.mark.django_db


def description(client, url):
    html = client.get(url).content.decode()
    found = re.findall(r'<meta name="description" content="([^"]*)">', html)
    assert len(found) == 1, url
    assert found[0].strip() and len(found[0]) <= 160 and "<" not in found[0], found[0]
    return found[0]


def test_each_page_type_describes_itself(client, home_page):
    promoted = StandardPageFactory(parent=home_page, slug="a", intro="Chapô", search_description="Texte choisi")
    plain = StandardPageFactory(parent=home_page, slug="b", intro="Qui sommes-nous ? " + "Le réseau. " * 30)
    groups = WorkingGroupIndexPageFactory(parent=home_page)
    group = WorkingGroupPageFactory(parent=groups, purpose="Des clauses pour le textile durable.")
    agenda = EventIndexPageFactory(parent=home_page)
    event = publish(EventPageFactory(parent=agenda, summary="Une journée pour échanger."))
    library = ResourceIndexPageFactory(parent=home_page, intro="<p>Guides <b>et</b> modèles.</p>")
    assert description(client, promoted.url) == "Texte choisi"
    assert description(client, plain.url).startswith("Qui sommes-nous ? Le réseau.")
    assert description(client, plain.url).endswith("…")
    assert description(client, group.url) == "Des clauses pour le textile durable."
    assert description(client, event.url) == "Une journée pour échanger."
    assert description(client, library.url) == "Guides et modèles."


def test_pages_without_a_lead_in_and_other_screens_get_the_network_description(client, home_page):
    bare = StandardPageFactory(parent=home_page, slug="nue", intro="")
    for url in (bare.url, "/compte/connexion/", "/plan-du-site/"):
        assert description(client, url)
    assert "RESECO" in description(client, "/compte/connexion/")
