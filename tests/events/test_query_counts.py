"""Rendered pages cost a fixed number of queries whatever the number of events (20 events, then
more than 1,000 dates), the agenda at most 15; the footer's legal pages are one query, read once
per data version and shared from the cache, and never carry anything about the person."""

from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site

import pytest

from home.models import SiteSettings
from registrations.models import Occurrence
from tests.factories import MemberFactory, StandardPageFactory
from tests.factories.events import make_events, paris
from tests.factories.trainings import TrainingIndexPageFactory, training_with_runs

pytestmark = pytest.mark.django_db

PAGES_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages-counts-test"},
}


@pytest.fixture
def legal_pages(home_page):
    pages = [StandardPageFactory(parent=home_page, title=title) for title in ("Mentions", "Accessibilité", "Données")]
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.legal_notice_page, site_settings.accessibility_page, site_settings.personal_data_page = pages
    site_settings.contact_email = "contact@reseco.fr"
    site_settings.save()
    return pages


def _queries(client, url):
    client.get(url)  # Wagtail caches the site's root paths after a first request
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "member"])
def test_pages_cost_the_same_queries_from_20_events_to_1000_dates(client, agenda, home_page, legal_pages, logged_in):
    from tests.factories.library import ResourceIndexPageFactory, SearchPageFactory

    if logged_in:
        client.force_login(MemberFactory())
    events = make_events(agenda, 20, start=paris(2030, 1, 7, 14))
    trainings = TrainingIndexPageFactory(parent=home_page)
    training = training_with_runs(trainings, runs=((20, 2), (60, 1)))
    ResourceIndexPageFactory(parent=home_page)
    SearchPageFactory(parent=home_page)
    urls = ["/agenda/", "/agenda/?vue=mois&mois=2030-02", "/agenda/?vue=archives", events[0].url, training.url]
    urls += ["/formations/", "/ressources/", "/recherche/?q=rencontre", "/"] + (["/compte/"] if logged_in else [])
    small = {url: _queries(client, url) for url in urls}
    make_events(agenda, 90, recurring=90, start=paris(2030, 1, 8, 9))  # 90 monthly series of 12 dates
    assert Occurrence.objects.count() > 1000
    big = {url: _queries(client, url) for url in urls}
    assert {url: count for url, (count, _html) in small.items()} == {url: count for url, (count, _html) in big.items()}
    assert big["/agenda/"][0] <= 15
    # Uncached (the test settings have no page cache): site, route (two), restrictions, dates, footer…
    assert big[events[0].url][0] <= (13 if logged_in else 9)
    assert big[training.url][0] <= (10 if logged_in else 8)
    html = big["/agenda/"][1]
    for page in legal_pages:
        assert f'href="{page.url}"' in html


def test_footer_fragment_is_shared_and_never_personal(
    client, home_page, legal_pages, django_capture_on_commit_callbacks
):
    member = MemberFactory(first_name="Sophie", last_name="Le Goff", email="sophie@nantes.fr")
    with override_settings(CACHES=PAGES_CACHE):
        caches["pages"].clear()
        client.force_login(member)
        personal = client.get("/compte/").content.decode()  # the footer is cached by this request
        assert "Sophie Le Goff" in personal
        client.logout()
        anonymous = client.get("/").content.decode()
        footer = anonymous[anonymous.index('<footer class="site-footer"') :]
        assert footer == personal[personal.index('<footer class="site-footer"') :]
        assert "Sophie" not in footer and "sophie@nantes.fr" not in footer
        assert "contact@reseco.fr" in footer and legal_pages[0].url in footer
        # A change of the site's settings shows at once.
        site_settings = SiteSettings.objects.get()
        site_settings.contact_email = "accueil@reseco.fr"
        with django_capture_on_commit_callbacks(execute=True):
            site_settings.save()
        assert "accueil@reseco.fr" in client.get("/?autre=1").content.decode()
        caches["pages"].clear()


def test_agenda_listing_fragment_follows_what_each_visitor_may_see(
    client, agenda, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """The agenda's listing is shared from the cache by visitors who may see the same pages, never
    across a privacy rule: a member's listing (with a members-only page) is never served to an
    anonymous visitor or a supplier, whoever asks first; a cancelled date shows at once."""
    from django.contrib.auth.models import Group

    from wagtail.models import PageViewRestriction

    from registrations.occurrences import cancel_occurrence
    from tests.factories import SupplierContactFactory
    from tests.factories.events import EventPageFactory, publish

    page = publish(EventPageFactory(parent=agenda, title="Réunion des référents"))
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name="Membres")])
    open_page = publish(EventPageFactory(parent=agenda, title="Journée ouverte"))
    month = f"?vue=mois&mois={page.start:%Y-%m}"
    member, supplier = MemberFactory(), SupplierContactFactory()
    with override_settings(CACHES=PAGES_CACHE):
        caches["pages"].clear()
        for _round in range(2):  # the second round is served from the fragments the first stored
            for user, sees in ((member, True), (None, False), (supplier, False), (member, True)):
                client.logout()
                if user:
                    client.force_login(user)
                for url in (agenda.url, agenda.url + month):
                    html = client.get(url).content.decode()
                    assert "Journée ouverte" in html
                    assert ("Réunion des référents" in html) == sees, (user, url)
        client.logout()
        with django_assert_max_num_queries(10):  # the listing's own queries are skipped
            client.get(agenda.url + "?autre=1")
        with django_capture_on_commit_callbacks(execute=True):
            cancel_occurrence(Occurrence.objects.get(page=open_page), reason="Intempéries")
        assert "Intempéries" in client.get(agenda.url + "?autre=2").content.decode()
        caches["pages"].clear()
