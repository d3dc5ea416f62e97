"""Working groups: listing filters, a group's page (pilot, participants, meetings from the
events and its feed, market engagement, deliverables, members-only minutes)."""

import datetime

import pytest

from members.models import Organisation
from sectors.models import Sector
from tests.factories import MemberFactory, OrganisationFactory, SupplierContactFactory, WorkingGroupPageFactory
from tests.factories.events import EventIndexPageFactory, EventPageFactory, paris
from tests.factories.events import publish as publish_event
from tests.factories.library import GuidePageFactory, MinutesPageFactory, publish

pytestmark = pytest.mark.django_db

THIS_YEAR = datetime.date.today().year


@pytest.fixture
def groups(library):
    index = library["group"].get_parent()
    textiles = Sector.objects.get(slug="textiles")
    food = Sector.objects.get(slug="alimentation-restauration")
    return {
        "index": index,
        "current": library["group"],
        "past": WorkingGroupPageFactory(parent=index, title="Textiles", sector=textiles, years=[(2011, 2013)]),
        "planned": WorkingGroupPageFactory(parent=index, title="Cantines", sector=food, years=[(THIS_YEAR + 1, None)]),
        "twice": WorkingGroupPageFactory(
            parent=index, title="Bâtiment", sector=textiles, years=[(2011, 2013), (2021, None)]
        ),
    }


def listed(response):
    return sorted(g.title for key in ("current_groups", "planned_groups", "past_groups") for g in response.context[key])


def test_listing_shows_every_group_with_its_periods(client, groups):
    response = client.get("/groupes-de-travail/")
    assert listed(response) == ["Bâtiment", "Cantines", "Construction", "Textiles"]
    assert [g.title for g in response.context["past_groups"]] == ["Textiles"]
    assert [g.title for g in response.context["planned_groups"]] == ["Cantines"]
    assert "2011–2013, depuis 2021" in response.content.decode()


def test_listing_filters_by_sector_and_status(client, groups):
    assert listed(client.get("/groupes-de-travail/?secteur=textiles")) == ["Bâtiment", "Textiles"]
    assert listed(client.get("/groupes-de-travail/?statut=current")) == ["Bâtiment", "Construction"]
    assert listed(client.get("/groupes-de-travail/?secteur=textiles&statut=past")) == ["Textiles"]


@pytest.mark.parametrize("query", ["secteur=inconnu", "statut=bientot", "secteur=energie"])
def test_unknown_filter_values_are_refused(client, groups, query):
    # « energie » exists as a sector but no group has it, so it is not offered either.
    response = client.get(f"/groupes-de-travail/?{query}")
    assert response.status_code == 400
    assert "n&#x27;existe pas" in response.content.decode()


def test_listing_query_count_does_not_grow(client, groups, django_assert_max_num_queries):
    client.get("/groupes-de-travail/")
    with django_assert_max_num_queries(16) as small:
        client.get("/groupes-de-travail/")
    for n in range(30):
        WorkingGroupPageFactory(parent=groups["index"], title=f"Groupe {n}", years=[(2015, 2016), (2020, None)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/groupes-de-travail/")


@pytest.fixture
def group_page(library):
    group = library["group"]
    group.pilot_organisation = OrganisationFactory(name="Angers Loire Métropole")
    group.pilot_name = "Direction du bâtiment"
    group.save()
    group.participants.set([group.pilot_organisation, OrganisationFactory(name="Ville de Blois")])
    group.save()
    index = library["index"]
    GuidePageFactory(parent=index, title="Guide du réemploi", working_group=group)
    publish(MinutesPageFactory(parent=index, title="Compte rendu de janvier", working_group=group))
    return group


def test_group_page_shows_pilot_participants_and_deliverables(client, group_page):
    html = client.get(group_page.url).content.decode()
    for text in ("Angers Loire Métropole — Direction du bâtiment", "Ville de Blois", "Guide du réemploi"):
        assert text in html
    assert "Compte rendu de janvier" not in html
    assert "1 document réservé aux membres du réseau n'est pas affiché" in html
    assert f'href="/compte/connexion/?next={group_page.url}"' in html
    assert "Aucun compte rendu" not in html


def test_supplier_is_told_minutes_exist_not_that_there_are_none(client, group_page):
    """Issue 14: a logged-in non-member read « Aucun compte rendu » while the group has some."""
    client.force_login(SupplierContactFactory())
    html = client.get(group_page.url).content.decode()
    assert "Aucun compte rendu" not in html
    assert "1 document réservé aux membres du réseau" in html and "Votre compte n'y donne pas accès" in html


@pytest.mark.parametrize(("make_user", "sees"), [(MemberFactory, True), (SupplierContactFactory, False)])
def test_minutes_on_the_group_page_are_for_members_only(client, group_page, make_user, sees):
    client.force_login(make_user())
    response = client.get(group_page.url)
    assert ("Compte rendu de janvier" in response.content.decode()) is sees
    assert [r.title for r in response.context["deliverables"]] == ["Guide du réemploi"]


def test_group_page_lists_its_meetings_market_engagement_and_feed(client, library, group_page):
    agenda = EventIndexPageFactory(parent=library["home"])
    publish_event(
        EventPageFactory(
            parent=agenda,
            title="Réunion du groupe Construction",
            kind="working_group_meeting",
            working_group=group_page,
        )
    )
    publish_event(
        EventPageFactory(
            parent=agenda,
            title="Rencontre fournisseurs du bâtiment",
            kind="market_engagement",
            working_group=group_page,
            start=paris(2030, 6, 2, 9, 30),
        )
    )
    publish_event(EventPageFactory(parent=agenda, title="Webinaire d'un autre groupe", kind="webinar"))
    response = client.get(group_page.url)
    assert [o.page.title for o in response.context["upcoming_meetings"]] == ["Réunion du groupe Construction"]
    assert [o.page.title for o in response.context["market_engagement"]] == ["Rencontre fournisseurs du bâtiment"]
    html = response.content.decode()
    feed = f"/calendrier/groupe/{group_page.slug}.ics"
    assert response.context["feed_url"] == feed
    assert '<link rel="alternate" type="text/calendar"' in html and feed in html


def test_participants_are_member_organisations(group_page):
    assert set(group_page.participants.values_list("name", flat=True)) == {"Angers Loire Métropole", "Ville de Blois"}
    assert Organisation.objects.get(name="Ville de Blois").working_groups.get() == group_page


def test_group_feed_serves_the_meetings_its_page_shows_publicly(client, library, group_page):
    """Members-only meetings on public pages are listed on the group page for anyone: its feed
    serves them too (it was empty for 17 groups of 18). A restricted page is in neither."""
    from django.contrib.auth.models import Group

    from wagtail.models import PageViewRestriction

    import icalendar

    agenda = EventIndexPageFactory(parent=library["home"])
    for title in ("Réunion plénière", "Réunion d'automne"):
        publish_event(
            EventPageFactory(
                parent=agenda,
                title=title,
                kind="working_group_meeting",
                audience="members",
                working_group=group_page,
                online_url="https://visio.exemple.fr/gt",
            )
        )
    private = publish_event(
        EventPageFactory(
            parent=agenda, title="Réunion restreinte", kind="working_group_meeting", working_group=group_page
        )
    )
    restriction = PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name="Membres")])

    shown = sorted(o.page.title for o in client.get(group_page.url).context["upcoming_meetings"])
    feed = client.get(f"/calendrier/groupe/{group_page.slug}.ics")
    assert feed.status_code == 200
    served = sorted(str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(feed.content).walk("VEVENT"))
    assert shown == served == ["Réunion d'automne", "Réunion plénière"]
    assert b"visio.exemple.fr" not in feed.content
    # a member sees the restricted meeting on the page (the anonymous feed never serves it)
    client.force_login(MemberFactory())
    shown = sorted(o.page.title for o in client.get(group_page.url).context["upcoming_meetings"])
    assert shown == ["Réunion d'automne", "Réunion plénière", "Réunion restreinte"]
    client.force_login(SupplierContactFactory())
    assert "Réunion restreinte" not in [o.page.title for o in client.get(group_page.url).context["upcoming_meetings"]]
