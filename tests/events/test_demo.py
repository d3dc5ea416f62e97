"""The demo agenda renders, in the public site and in the admin."""

import pytest

from events.models import EventPage
from members.models import User
from registrations.models import Occurrence, OccurrenceStatus

pytestmark = pytest.mark.django_db


def test_demo_agenda_pages_feeds_and_admin(client, demo_site):
    meeting = EventPage.objects.get(slug="groupe-construction-reunion-mensuelle")
    assert Occurrence.objects.filter(page=meeting, status=OccurrenceStatus.CANCELLED).count() == 1
    assert any(o.is_moved for o in Occurrence.objects.filter(page=meeting))
    for url in ["/agenda/", "/agenda/?vue=mois", "/agenda/?vue=archives", "/", meeting.url, "/calendrier/agenda.ics"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/calendrier/groupe/construction.ics").status_code == 200
    client.force_login(User.objects.get(email="admin@reseco.fr"))
    edit = client.get(f"/admin/pages/{meeting.pk}/edit/")
    assert edit.status_code == 200
    html = edit.content.decode()
    assert 'name="repeat_weekdays"' in html and 'name="registration_questions"' in html
    assert "exception_dates" in html and "extra_dates" in html
    assert client.get(f"/admin/pages/add/events/eventpage/{meeting.get_parent().pk}/").status_code == 200
    assert client.get(f"/admin/agenda/{meeting.pk}/occurrences/").status_code == 200
    account = client.get("/compte/")
    assert account.status_code == 200 and "Mon agenda personnel" in account.content.decode()
