"""The demo agenda renders, in the public site and in the admin."""

import datetime
import json
import subprocess

from django.utils import timezone

from wagtail.models import Page

import pytest

from events.models import EventPage
from members.models import User
from registrations.models import Occurrence, OccurrenceStatus
from tests.events.test_feeds import NODE_SCRIPT, parse

pytestmark = pytest.mark.django_db


def test_demo_agenda_pages_feeds_and_admin(client, demo_site, tmp_path):
    meeting = EventPage.objects.get(slug="groupe-construction-reunion-mensuelle")
    assert Occurrence.objects.filter(page=meeting, status=OccurrenceStatus.CANCELLED).count() == 1
    assert any(o.is_moved for o in Occurrence.objects.filter(page=meeting))
    for url in ["/agenda/", "/agenda/?vue=mois", "/agenda/?vue=archives", "/", meeting.url, "/calendrier/agenda.ics"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/calendrier/groupe/construction.ics").status_code == 200
    # the whole public feed (events and trainings) reads cleanly with icalendar and ical.js
    content = client.get("/calendrier/agenda.ics").content
    cal = parse(content)
    assert any("RRULE" in e for e in cal.walk("VEVENT"))
    ics = tmp_path / "demo.ics"
    ics.write_bytes(content)
    result = subprocess.run(
        ["node", str(NODE_SCRIPT), str(ics), "2020-01-01T00:00:00Z", "2040-01-01T00:00:00Z"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    expanded = json.loads(result.stdout)
    public_rows = Occurrence.objects.live().filter(page__in=Page.objects.public())
    assert len(expanded) >= public_rows.filter(end__gte=timezone.now() - datetime.timedelta(days=365)).count()
    # what a working group's page lists publicly, its feed serves (it served nothing for 17 of 18)
    from events import conf
    from workinggroups.models import WorkingGroupPage

    since = timezone.now() - datetime.timedelta(days=conf.feed_past_days())  # the feeds' window
    groups_with_meetings = 0
    for group in WorkingGroupPage.objects.live():
        context = client.get(group.url).context
        meetings = [o for key in ("upcoming_meetings", "past_meetings") for o in context[key]]
        listed = {o.page.title for o in meetings if o.end >= since}
        feed = parse(client.get(f"/calendrier/groupe/{group.slug}.ics").content)
        served = {str(e["SUMMARY"]) for e in feed.walk("VEVENT")}
        assert listed <= served, group.slug
        groups_with_meetings += bool(listed)
    assert groups_with_meetings >= 1
    client.force_login(User.objects.get(email="admin@reseco.fr"))
    edit = client.get(f"/admin/pages/{meeting.pk}/edit/")
    assert edit.status_code == 200
    html = edit.content.decode()
    assert 'name="repeat_weekdays"' in html and 'name="registration_questions"' in html
    assert "exception_dates" in html and "extra_dates" in html
    assert client.get(f"/admin/pages/add/events/eventpage/{meeting.get_parent().pk}/").status_code == 200
    assert client.get(f"/admin/dates/{meeting.pk}/").status_code == 200
    account = client.get("/compte/")
    assert account.status_code == 200 and "Mon agenda personnel" in account.content.decode()
