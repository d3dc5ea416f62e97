"""The library's listing and filters are shared from the cache only by people who may open the
same resources: members-only minutes never reach an anonymous visitor or a supplier through a
fragment a member's request stored, nor the other way round (a member never sees the anonymous
« log in » offer); a cache-busting parameter changes nothing, a publication shows at once."""

import pytest

from tests.factories import MemberFactory, SupplierContactFactory
from tests.factories.library import GuidePageFactory, MinutesPageFactory, publish
from tests.utils import log_in_as, main_of

MINUTES = "Compte rendu de mars"
LOGIN = 'href="/compte/connexion/?next=/ressources/%3Ftype%3Dcompte-rendu"'

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_cache")]


@pytest.fixture
def minutes(library):
    return publish(MinutesPageFactory(parent=library["index"], title=MINUTES, working_group=library["group"]))


def test_members_only_minutes_never_leave_the_members_fragment(client, minutes):
    people = {"member": MemberFactory(), "supplier": SupplierContactFactory(), "anonymous": None}
    expected = {  # the minutes listed, « 1 reserved » shown, the log-in offer
        "member": (True, False, False),
        "supplier": (False, True, False),
        "anonymous": (False, True, True),
    }
    for turn in range(2):  # the second round is served from what the first stored, in any order
        for name in ("member", "anonymous", "supplier", "member", "anonymous"):
            log_in_as(client, people[name])
            body = main_of(client, f"/ressources/?type=compte-rendu&bust={turn}{name}")
            seen = (MINUTES in body, "1 document réservé aux membres" in body, LOGIN in body)
            assert seen == expected[name], (turn, name)
            assert "bust" not in body  # the fragment never carries the asker's own parameters


def test_listing_is_served_from_the_cache_and_follows_publication(
    client, library, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    publish(GuidePageFactory(parent=library["index"], title="Guide cantine"))
    first = client.get("/ressources/?x=1")
    assert first.status_code == 200
    with django_assert_max_num_queries(6):  # routing and privacy only: not the listing, nor its filters
        again = client.get("/ressources/?x=2")
    assert "Guide cantine" in again.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publish(GuidePageFactory(parent=library["index"], title="Guide textile"))
    assert "Guide textile" in client.get("/ressources/?x=3").content.decode()


def test_refused_filter_keeps_its_400_from_the_cache(client, library):
    assert client.get("/ressources/?type=inconnu").status_code == 400
    response = client.get("/ressources/?type=inconnu&x=1")
    assert response.status_code == 400
    assert "Cette valeur n&#x27;existe pas" in response.content.decode()
