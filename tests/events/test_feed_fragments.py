"""Public feeds serialise each page's VEVENTs once per change and reuse them from the cache: the
result is the calendar the library builds, it follows every change at once, and a cached VEVENT
never carries what only a registered person may see (the online link)."""

import datetime

from django.test import RequestFactory
from django.urls import reverse

import icalendar
import pytest

from events.ical import build_calendar, feed_bytes
from events.models import CalendarToken
from events.queries import public_feed_occurrences
from registrations.models import Occurrence
from registrations.services import register
from tests.factories import MemberFactory
from tests.factories.events import EventPageFactory, make_events, paris, publish

pytestmark = pytest.mark.django_db
LINK = "https://visio.example.fr/secret"


def _vevents(body):
    cal = icalendar.Calendar.from_ical(body)
    events = sorted(
        (str(e["UID"]), str(e.get("RECURRENCE-ID").to_ical() if "RECURRENCE-ID" in e else b""), e.to_ical())
        for e in cal.walk("VEVENT")
    )
    for component in cal.walk():
        assert component.errors == []
    return events, [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]


def test_cached_feed_is_what_the_library_builds(agenda):
    make_events(agenda, 12, recurring=3)
    occurrences = public_feed_occurrences()
    request = RequestFactory().get("/")
    expected = build_calendar(list(occurrences.order_by("start", "pk")), name="Agenda", request=request).to_ical()
    cold = feed_bytes(occurrences, name="Agenda")
    warm = feed_bytes(occurrences, name="Agenda")  # every page's VEVENTs from the cache
    assert cold == warm
    assert _vevents(warm) == _vevents(expected)
    assert _vevents(warm)[1] == ["Europe/Paris"]


def test_cached_feed_follows_a_published_edit_and_a_moved_date(client, agenda):
    page = publish(EventPageFactory(parent=agenda, title="Ancien titre", repeat="weekly", repeat_count=3))
    url = reverse("events:public_feed")
    assert b"Ancien titre" in client.get(url).content
    page.title = "Nouveau titre"
    publish(page)
    body = client.get(url).content
    assert b"Nouveau titre" in body and b"Ancien titre" not in body
    occurrence = Occurrence.objects.filter(page=page).order_by("start").last()
    from registrations.occurrences import reschedule_occurrence

    start = occurrence.start + datetime.timedelta(days=1)
    reschedule_occurrence(occurrence, start=start, end=start + datetime.timedelta(hours=1), reason="Salle prise")
    assert b"RECURRENCE-ID" in client.get(url).content


def test_a_cached_vevent_never_carries_a_registered_persons_link(client, agenda):
    """The personal feed (online link for the registered person) is never built from, nor into,
    the public feed's cached VEVENTs, whichever is asked first."""
    page = publish(
        EventPageFactory(
            parent=agenda, title="Webinaire", online_url=LINK, format="online", location="", audience="everyone"
        )
    )
    member = MemberFactory()
    register(Occurrence.objects.get(page=page), user=member)
    token = CalendarToken.objects.create(user=member)
    public = reverse("events:public_feed")
    personal = reverse("events:personal_feed", kwargs={"token": token.token})
    event = reverse("events:event_feed", kwargs={"page_id": page.pk})
    assert LINK.encode() not in client.get(public).content  # public first: VEVENTs cached
    assert LINK.encode() in client.get(personal).content
    assert LINK.encode() not in client.get(public).content
    assert LINK.encode() not in client.get(event).content
    assert LINK.encode() in client.get(personal).content


def test_304_needs_no_feed_built(client, agenda, django_assert_max_num_queries):
    make_events(agenda, 5, start=paris(2030, 5, 4, 9))
    url = reverse("events:public_feed")
    first = client.get(url)
    with django_assert_max_num_queries(3):
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
