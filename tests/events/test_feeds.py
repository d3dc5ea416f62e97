"""iCalendar feeds, checked by three independent readers: icalendar (errors), ical.js (node, the
parser Thunderbird uses) and recurring-ical-events (expansion), against the materialised rows."""

import datetime
import json
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import PageViewRestriction

import icalendar
import pytest
import recurring_ical_events

from events.models import CalendarToken
from registrations.models import Occurrence, OccurrenceStatus, Registration, RegistrationStatus
from registrations.occurrences import cancel_occurrence, reschedule_occurrence
from tests.factories import (
    MemberFactory,
    WorkingGroupIndexPageFactory,
    WorkingGroupPageFactory,
)
from tests.factories.events import EventPageFactory, make_events, paris, publish

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NODE_SCRIPT = Path(__file__).with_name("icaljs_expand.cjs")
FROM, UNTIL = datetime.datetime(2029, 12, 1, tzinfo=datetime.UTC), datetime.datetime(2032, 1, 1, tzinfo=datetime.UTC)


@pytest.fixture
def series(agenda):
    """A monthly working-group meeting (2nd Tuesday, 9:30–12:00) over two years, across both DST
    changes, with an exception date, one cancelled and one moved occurrence."""
    page = EventPageFactory(
        parent=agenda,
        title="Groupe de travail restauration collective",
        kind="working_group_meeting",
        start=paris(2030, 1, 8, 9, 30),
        end=paris(2030, 1, 8, 12),
        repeat="monthly_weekday",
        repeat_until=datetime.date(2031, 12, 31),
        online_url="https://visio.example.fr/gt-restauration",
        format="hybrid",
    )
    publish(page, exceptions=[datetime.date(2030, 5, 14)])
    rows = {timezone_date(o.original_start): o for o in Occurrence.objects.filter(page=page)}
    reschedule_occurrence(
        rows[datetime.date(2030, 4, 9)], start=paris(2030, 4, 10, 14), end=paris(2030, 4, 10, 16, 30), reason="Salle"
    )
    cancel_occurrence(rows[datetime.date(2030, 11, 12)], reason="Grève")
    return page


def timezone_date(value):
    return value.astimezone(PARIS).date()


ICAL_STATUS = {OccurrenceStatus.SCHEDULED: "confirmed", OccurrenceStatus.CANCELLED: "cancelled"}


def rows_of(page):
    return sorted(
        (o.start.astimezone(datetime.UTC), o.end.astimezone(datetime.UTC), ICAL_STATUS[o.status])
        for o in Occurrence.objects.filter(page=page)
    )


def get_feed(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/calendar")
    return response


def parse(content):
    cal = icalendar.Calendar.from_ical(content)
    for component in cal.walk():
        assert component.errors == [], (component.name, component.errors)
    return cal


def expand_with_recurring_ical_events(cal):
    return sorted(
        (e["DTSTART"].dt.astimezone(datetime.UTC), e["DTEND"].dt.astimezone(datetime.UTC), str(e["STATUS"]).lower())
        for e in recurring_ical_events.of(cal).between(FROM, UNTIL)
    )


def expand_with_ical_js(content, tmp_path):
    """The feed as Mozilla's ical.js (Thunderbird's parser) expands it, through node."""
    ics = tmp_path / "feed.ics"
    ics.write_bytes(content)
    result = subprocess.run(
        ["node", str(NODE_SCRIPT), str(ics), FROM.isoformat(), UNTIL.isoformat()],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return sorted(
        (
            datetime.datetime.fromisoformat(o["start"].replace("Z", "+00:00")),
            datetime.datetime.fromisoformat(o["end"].replace("Z", "+00:00")),
            o["status"].lower(),
        )
        for o in json.loads(result.stdout)
    )


def test_series_expansion_matches_rows_with_three_readers(client, series, tmp_path):
    content = get_feed(client, reverse("events:event_feed", kwargs={"page_id": series.pk})).content
    assert b"\r\n" in content
    cal = parse(content)
    wanted = rows_of(series)
    assert len(wanted) == 23  # 24 second Tuesdays, minus the exception date
    # one VEVENT with RRULE, plus an override per moved/cancelled occurrence
    events = cal.walk("VEVENT")
    masters = [e for e in events if "RRULE" in e]
    assert len(masters) == 1
    master = masters[0]
    assert master["RRULE"]["UNTIL"][0].tzinfo is not None
    assert master["RRULE"]["UNTIL"][0].utcoffset() == datetime.timedelta(0)
    assert master["DTSTART"].params["TZID"] == "Europe/Paris"
    exdate = master["EXDATE"]
    assert exdate.params["TZID"] == "Europe/Paris"
    assert [d.dt.date() for d in exdate.dts] == [datetime.date(2030, 5, 14)]
    overrides = [e for e in events if "RECURRENCE-ID" in e]
    assert len(overrides) == 2 and {str(e["UID"]) for e in events} == {str(master["UID"])}
    assert {str(e["STATUS"]) for e in overrides} == {"CONFIRMED", "CANCELLED"}
    assert len(cal.walk("VTIMEZONE")) == 1
    assert "visio.example.fr" not in content.decode()  # anonymous: never the online link

    assert expand_with_recurring_ical_events(cal) == wanted
    from_js = expand_with_ical_js(content, tmp_path)
    assert from_js == wanted
    # 9:30 local on both sides of both DST changes
    local_times = {s.astimezone(PARIS).time() for s, _e, st in wanted if s.astimezone(PARIS).date().day != 10}
    assert local_times == {datetime.time(9, 30)}


def test_uid_stable_and_sequence_grows(client, series):
    url = reverse("events:event_feed", kwargs={"page_id": series.pk})
    first = parse(get_feed(client, url).content)
    master = next(e for e in first.walk("VEVENT") if "RRULE" in e)
    series.start, series.end = paris(2030, 1, 8, 10), paris(2030, 1, 8, 12, 30)
    publish(series)
    second = parse(get_feed(client, url).content)
    master2 = next(e for e in second.walk("VEVENT") if "RRULE" in e)
    assert master2["UID"] == master["UID"]
    assert master2["SEQUENCE"] > master["SEQUENCE"]
    cancelled = next(e for e in second.walk("VEVENT") if str(e.get("STATUS")) == "CANCELLED")
    assert cancelled["SEQUENCE"] >= 1


def test_all_day_event_uses_dates_with_exclusive_end(client, agenda):
    page = publish(
        EventPageFactory(
            parent=agenda,
            kind="awareness_day",
            all_day=True,
            start=paris(2030, 6, 4, 9),
            end=paris(2030, 6, 5, 17),
        )
    )
    cal = parse(get_feed(client, reverse("events:event_feed", kwargs={"page_id": page.pk})).content)
    (event,) = cal.walk("VEVENT")
    assert event["DTSTART"].dt == datetime.date(2030, 6, 4)
    assert event["DTEND"].dt == datetime.date(2030, 6, 6)
    assert event["DTSTART"].params.get("VALUE") == "DATE"


def restrict_to_members(page):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name="Membres")])
    return page


def test_public_feeds_serve_what_public_pages_show_never_restricted_pages_or_online_links(client, agenda, series):
    """A members-only activity on a public page is shown to anyone (only taking part is reserved):
    its feed serves it. A page restricted by Wagtail privacy is in no public feed."""
    publish(EventPageFactory(parent=agenda, title="Réunion des membres", audience="members", kind="thematic"))
    restrict_to_members(publish(EventPageFactory(parent=agenda, title="Page privée", kind="thematic")))
    for url in (
        reverse("events:public_feed"),
        reverse("events:kind_feed", kwargs={"kind": "thematic"}),
    ):
        response = get_feed(client, url)
        text = response.content.decode()
        cal = parse(response.content)
        assert "Réunion des membres" in text
        assert "Page privée" not in text and "visio.example" not in text
        assert response["Cache-Control"].startswith("public")
        # METHOD:PUBLISH needs an ORGANIZER on every VEVENT (RFC 5546): the network's address.
        assert cal["METHOD"] == "PUBLISH"
        assert all(str(e["ORGANIZER"]) == "mailto:contact@reseco.fr" for e in cal.walk("VEVENT"))
    text = get_feed(client, reverse("events:kind_feed", kwargs={"kind": "working_group_meeting"})).content.decode()
    assert "Groupe de travail restauration collective" in text and "visio.example" not in text


def test_sector_and_working_group_feeds(client, agenda):
    from sectors.models import Sector

    sector = Sector.objects.get(slug="textiles")
    index = WorkingGroupIndexPageFactory(parent=agenda.get_parent())
    group = WorkingGroupPageFactory(parent=index, slug="textiles-gt", sector=sector)
    publish(EventPageFactory(parent=agenda, title="Textiles du futur", sector=sector, working_group=group))
    publish(EventPageFactory(parent=agenda, title="Autre sujet"))
    for url in (
        reverse("events:sector_feed", kwargs={"slug": "textiles"}),
        reverse("events:working_group_feed", kwargs={"slug": "textiles-gt"}),
    ):
        text = get_feed(client, url).content.decode()
        assert "Textiles du futur" in text and "Autre sujet" not in text
    assert client.get(reverse("events:sector_feed", kwargs={"slug": "inconnu"})).status_code == 404
    assert client.get(reverse("events:working_group_feed", kwargs={"slug": "inconnu"})).status_code == 404
    assert client.get(reverse("events:kind_feed", kwargs={"kind": "<script>"})).status_code == 404
    assert client.get(reverse("events:event_feed", kwargs={"page_id": 999999})).status_code == 404


def test_public_feed_filters_and_bad_values(client, agenda, series):
    publish(
        EventPageFactory(
            parent=agenda,
            title="Webinaire achats",
            kind="webinar",
            format="online",
            location="",
            online_url="https://visio.example.fr/w",
        )
    )
    text = get_feed(client, reverse("events:public_feed") + "?type=webinar").content.decode()
    assert "Webinaire achats" in text and "restauration" not in text
    text = get_feed(client, reverse("events:public_feed") + "?type=nimporte&format=%3Cb%3E").content.decode()
    assert "Webinaire achats" in text and "restauration" in text  # unknown values ignored
    assert client.get(reverse("events:public_feed") + "?format=%00").status_code in (200, 400)  # never a 500


def test_conditional_get_304(client, series):
    url = reverse("events:event_feed", kwargs={"page_id": series.pk})
    first = get_feed(client, url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert client.get(url).content == first.content  # DTSTAMP and UIDs come from the data: same bytes
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"autre"').status_code == 200
    occ = Occurrence.objects.filter(page=series, status=OccurrenceStatus.SCHEDULED).last()
    cancel_occurrence(occ, reason="Changement")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_feed_body_is_stable_between_renders(client, series):
    url = reverse("events:event_feed", kwargs={"page_id": series.pk})
    assert get_feed(client, url).content == get_feed(client, url).content


def test_personal_feed(client, agenda, series):
    member = MemberFactory()
    members_only = publish(EventPageFactory(parent=agenda, title="Réunion réservée", audience="members"))
    occ = Occurrence.objects.filter(page=series, status=OccurrenceStatus.SCHEDULED).first()
    for o in (occ, Occurrence.objects.get(page=members_only)):
        Registration.objects.create(
            occurrence=o,
            user=member,
            first_name="A",
            last_name="B",
            email=member.email,
            status=RegistrationStatus.CONFIRMED,
        )
    token = CalendarToken.objects.create(user=member)
    response = get_feed(client, reverse("events:personal_feed", kwargs={"token": token.token}))
    assert response["Cache-Control"] == "private, no-store"
    cal = parse(response.content)
    summaries = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert summaries == ["Groupe de travail restauration collective", "Réunion réservée"]
    descriptions = " ".join(str(e.get("DESCRIPTION")) + str(e.get("LOCATION")) for e in cal.walk("VEVENT"))
    assert "visio.example.fr/gt-restauration" in descriptions
    assert all("RRULE" not in e for e in cal.walk("VEVENT"))
    # the event's own feed never carries the link, even for a registered member
    client.force_login(member)
    event_feed = get_feed(client, reverse("events:event_feed", kwargs={"page_id": series.pk}))
    assert "gt-restauration" not in str(
        [str(e.get("DESCRIPTION")) + str(e.get("LOCATION")) for e in parse(event_feed.content).walk("VEVENT")]
    )
    members_feed = get_feed(client, reverse("events:event_feed", kwargs={"page_id": members_only.pk}))
    assert members_feed["Cache-Control"].startswith("public")  # a public page: anyone sees its dates
    client.logout()
    assert client.get(reverse("events:event_feed", kwargs={"page_id": members_only.pk})).status_code == 200
    # an occurrence cancelled while registered stays in the feed as cancelled
    cancel_occurrence(occ, reason="Annulée")
    Registration.objects.filter(occurrence=occ).update(status=RegistrationStatus.CANCELLED)
    cal = parse(get_feed(client, reverse("events:personal_feed", kwargs={"token": token.token})).content)
    statuses = sorted(str(e["STATUS"]) for e in cal.walk("VEVENT"))
    assert statuses == ["CANCELLED", "CONFIRMED"]
    # revoke, regenerate, forged
    client.force_login(member)
    assert client.post(reverse("events:revoke_token")).status_code == 302
    assert client.get(reverse("events:personal_feed", kwargs={"token": token.token})).status_code == 404
    assert client.get(reverse("events:personal_feed", kwargs={"token": "forged-123"})).status_code == 404
    client.post(reverse("events:regenerate_token"))
    new = CalendarToken.objects.get(user=member)
    assert new.token != token.token
    assert client.get(reverse("events:personal_feed", kwargs={"token": new.token})).status_code == 200
    account = client.get(reverse("members:account")).content.decode()
    assert "Mon agenda personnel" in account and new.token in account
    personal = reverse("events:personal_feed", kwargs={"token": new.token})
    assert f'href="webcal://testserver{personal}"' in account and "S'abonner" in account
    assert "calendar.google.com/calendar/render?cid=webcal%3A%2F%2Ftestserver" in account
    assert client.get(reverse("events:regenerate_token")).status_code == 405


def count_queries(client, django_assert_max_num_queries, url, *, cold=False):
    """Queries of one GET of ``url``; ``cold``: with no page's VEVENTs serialised yet."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if cold:
        from wagtail.models import Site

        cache.clear()
        Site.get_site_root_paths()  # cached by Wagtail in the same cache, whatever the feed
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_feed_query_count_does_not_grow(client, agenda, django_assert_max_num_queries):
    make_events(agenda, 10, recurring=2)
    url = reverse("events:public_feed")
    client.get(url)  # the site's root paths are cached after the first request
    small = count_queries(client, django_assert_max_num_queries, url, cold=True)
    small_warm = count_queries(client, django_assert_max_num_queries, url)
    # Ten times as many events, recurring ones with their many dates (`make bench`: 1,000).
    make_events(agenda, 90, recurring=8, start=paris(2030, 2, 1, 9))
    assert Occurrence.objects.count() >= 200
    client.get(url)
    big = count_queries(client, django_assert_max_num_queries, url, cold=True)
    big_warm = count_queries(client, django_assert_max_num_queries, url)
    # Built from nothing, and with every page's VEVENTs already serialised (plain rows only).
    assert small == big <= 5
    assert small_warm == big_warm <= 3
    cal = parse(client.get(url).content)
    assert len([e for e in cal.walk("VEVENT") if "RRULE" in e]) == 10


def test_feed_after_editing_a_running_series_shows_exactly_the_dates_that_exist(client, series, tmp_path):
    """Half-way through the series the meeting moves from 9:30 to 10:00: the dates held at 9:30
    stay as they were, the later ones move, and every reader expands exactly the rows."""
    import time_machine

    with time_machine.travel(paris(2030, 7, 1, 8), tick=False):
        series.start, series.end = paris(2030, 1, 8, 10), paris(2030, 1, 8, 12, 30)
        publish(series)
    wanted = rows_of(series)
    local = {s.astimezone(PARIS).date(): s.astimezone(PARIS).time() for s, _e, _st in wanted}
    assert local[datetime.date(2030, 6, 11)] == datetime.time(9, 30)  # held before the edit
    assert local[datetime.date(2030, 7, 9)] == datetime.time(10, 0)
    content = get_feed(client, reverse("events:event_feed", kwargs={"page_id": series.pk})).content
    assert expand_with_recurring_ical_events(parse(content)) == wanted
    assert expand_with_ical_js(content, tmp_path) == wanted
