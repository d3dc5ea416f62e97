"""The bodies of event and training pages, and breadcrumbs, are shared from the cache only by
people to whom they show the same thing: never a registered person's online link to someone
else, never a member's offer to a supplier or an anonymous visitor, never a draft; a seat taken
shows at once."""

from django.core.cache import caches
from django.test import RequestFactory, override_settings

import pytest

from base.templatetags.fragments import fragment_key
from registrations.models import Occurrence
from registrations.services import register
from tests.factories import MemberFactory, SupplierContactFactory
from tests.factories.events import EventPageFactory, publish
from tests.factories.trainings import TrainingIndexPageFactory, training_with_runs
from tests.utils import log_in_as as _as
from tests.utils import main_of as _body

PAGES_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages-fragments-test"},
}
LINK = "https://visio.example.org/reunion-secrete"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cache_on")]


@pytest.fixture
def cache_on():
    with override_settings(CACHES=PAGES_CACHE):
        caches["pages"].clear()
        yield
        caches["pages"].clear()


def test_event_body_never_shows_one_person_what_is_anothers(client, agenda, django_capture_on_commit_callbacks):
    page = publish(
        EventPageFactory(parent=agenda, title="Atelier hybride", audience="members", format="hybrid", online_url=LINK)
    )
    registered, other, supplier = MemberFactory(), MemberFactory(), SupplierContactFactory()
    with django_capture_on_commit_callbacks(execute=True):
        register(Occurrence.objects.get(page=page), user=registered)
    expected = {  # what each one sees: the link, « registered », « register », the log-in offer
        "registered": (True, True, False, False),
        "other": (False, False, True, False),
        "supplier": (False, False, False, False),
        "anonymous": (False, False, False, True),
    }
    people = {"registered": registered, "other": other, "supplier": supplier, "anonymous": None}
    for _round in range(2):  # the second round is served from what the first stored, in any order
        for name in ("anonymous", "registered", "supplier", "other", "registered", "anonymous"):
            _as(client, people[name])
            body = _body(client, page.url)
            seen = (LINK in body, "Vous êtes inscrit·e" in body, "S'inscrire" in body, "Se connecter pour" in body)
            assert seen == expected[name], name
            assert "29 places restantes" in body
    # A seat taken by someone else shows at once, to everyone.
    with django_capture_on_commit_callbacks(execute=True):
        register(Occurrence.objects.get(page=page), user=other)
    for name in ("anonymous", "registered", "other"):
        _as(client, people[name])
        body = _body(client, page.url + "?encore=1")
        assert "28 places restantes" in body
        assert (LINK in body) == (name != "anonymous"), name


def test_event_body_is_served_from_the_cache(client, agenda, django_assert_max_num_queries):
    page = publish(EventPageFactory(parent=agenda))
    client.get(page.url)
    with django_assert_max_num_queries(5):  # routing and privacy; not the dates, nor the breadcrumb
        html = client.get(page.url + "?autre=1").content.decode()
    assert "30 places restantes" in html and page.title in html


def test_training_body_is_shared_and_follows_its_seats(
    client, home_page, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    training = training_with_runs(TrainingIndexPageFactory(parent=home_page), runs=((20, 2),))
    member = MemberFactory(first_name="Sophie", last_name="Le Goff")
    _as(client, member)
    personal = _body(client, training.url)  # stored by a member's request
    _as(client, None)
    with django_assert_max_num_queries(4):
        anonymous = _body(client, training.url + "?autre=1")
    assert anonymous == personal and "Sophie" not in anonymous
    assert "20 places restantes" in anonymous
    with django_capture_on_commit_callbacks(execute=True):
        register(Occurrence.objects.get(page=training), user=member, free_of_charge=True)
    assert "19 places restantes" in _body(client, training.url + "?autre=2")


def test_breadcrumb_is_shared_and_follows_a_retitled_parent(client, agenda, django_capture_on_commit_callbacks):
    page = publish(EventPageFactory(parent=agenda))
    assert ">Agenda</a>" in client.get(page.url).content.decode()
    agenda.title = "Calendrier du réseau"
    with django_capture_on_commit_callbacks(execute=True):
        agenda.save_revision().publish()
    assert ">Calendrier du réseau</a>" in client.get(page.url + "?autre=1").content.decode()


def test_a_preview_is_never_read_from_nor_stored_in_the_cache():
    request = RequestFactory().get("/agenda/atelier/")
    assert fragment_key(request, "event", 1)
    request.is_preview = True
    assert fragment_key(request, "event", 1) is None


def test_catalogue_is_shared_per_filters_and_follows_its_seats(
    client, home_page, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    index = TrainingIndexPageFactory(parent=home_page)
    training = training_with_runs(index, runs=((20, 2),), title="Achats textiles")
    member = MemberFactory(first_name="Sophie", last_name="Le Goff")
    _as(client, member)
    personal = _body(client, "/formations/")
    _as(client, None)
    with django_assert_max_num_queries(5):
        anonymous = _body(client, "/formations/")
    assert anonymous == personal and "Sophie" not in anonymous
    assert "Achats textiles" in anonymous and "20 places restantes" in anonymous
    # Another filter is another copy; a refused value shows its error, not a stored listing.
    assert "Achats textiles" not in _body(client, "/formations/?format=online")
    assert "Ce format n&#x27;existe pas." in _body(client, "/formations/?format=inconnu")
    with django_capture_on_commit_callbacks(execute=True):
        register(Occurrence.objects.get(page=training), user=member, free_of_charge=True)
    assert "19 places restantes" in _body(client, "/formations/")


def test_home_sections_follow_what_each_visitor_may_see(
    client, agenda, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from django.contrib.auth.models import Group

    from wagtail.models import PageViewRestriction

    from registrations.occurrences import cancel_occurrence

    page = publish(EventPageFactory(parent=agenda, title="Réunion des référents"))
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name="Membres")])
    open_page = publish(EventPageFactory(parent=agenda, title="Journée ouverte"))
    member, supplier = MemberFactory(first_name="Sophie", last_name="Le Goff"), SupplierContactFactory()
    for _round in range(2):  # the second round is served from what the first stored
        for user, sees in ((member, True), (None, False), (supplier, False), (member, True)):
            _as(client, user)
            body = _body(client, "/")
            assert "Journée ouverte" in body and "Sophie" not in body
            assert ("Réunion des référents" in body) == sees, user
    _as(client, None)
    with django_assert_max_num_queries(4):  # the sections' own queries are skipped
        client.get("/?autre=1")
    with django_capture_on_commit_callbacks(execute=True):
        cancel_occurrence(Occurrence.objects.get(page=open_page), reason="Intempéries")
    assert "Journée ouverte" not in _body(client, "/?autre=2")  # a cancelled date leaves at once
