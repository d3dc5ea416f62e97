"""Event pages: tree rules, validation, materialisation on publish/edit/unpublish/move/delete."""

import datetime

from django.core.exceptions import ValidationError

from wagtail.models import Page
from wagtail.test.utils import WagtailTestUtils

import pytest

from events.models import EventIndexPage, EventPage, SeriesState
from home.models import HomePage
from registrations.models import Occurrence, OccurrenceStatus, Registration, RegistrationStatus
from registrations.occurrences import cancel_occurrence
from tests.factories import EditorFactory
from tests.factories.events import EventPageFactory, paris, publish

pytestmark = pytest.mark.django_db


class TestTree(WagtailTestUtils):
    def test_tree_rules(self, agenda):
        from django.test import SimpleTestCase

        case = SimpleTestCase()
        assert EventIndexPage.parent_page_types == ["home.HomePage"]
        assert EventPage.parent_page_types == ["events.EventIndexPage"]
        assert EventPage.subpage_types == []
        assert EventIndexPage.subpage_types == ["events.EventPage"]
        assert EventPage.can_create_at(agenda)
        assert not EventPage.can_create_at(agenda.get_parent())
        assert EventIndexPage.max_count == 1
        assert not EventIndexPage.can_create_at(HomePage.objects.first())  # singleton exists
        del case


def errors_of(page):
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    return error.value.message_dict


def test_clean_errors_are_keyed_and_french(agenda):
    page = EventPageFactory(parent=agenda)
    page.start, page.end, page.capacity = paris(2030, 3, 5, 10), paris(2030, 3, 5, 9), -1
    errors = errors_of(page)
    assert errors["end"] == ["La fin doit suivre le début."]
    assert "négatif" in errors["capacity"][0]


def test_clean_refuses_rule_with_too_many_occurrences(agenda):
    page = EventPageFactory(parent=agenda)
    page.repeat = "daily"
    assert "repeat" in errors_of(page)
    page.repeat_until = datetime.date(2030, 6, 1)  # bounded: fine
    page.full_clean()
    page.repeat_until, page.repeat_count = None, 5
    page.full_clean()


def test_clean_requires_location_for_in_person_and_link_online(agenda):
    page = EventPageFactory(parent=agenda)
    page.location = ""
    assert "location" in errors_of(page)
    page.location, page.format = "Nantes", "online"
    assert "online_url" in errors_of(page)


def test_publish_materialises_and_edit_resyncs(agenda):
    page = publish(EventPageFactory(parent=agenda, kind="working_group_meeting", repeat="monthly_weekday"))
    rows = list(Occurrence.objects.filter(page=page))
    assert 20 <= len(rows) <= 30 and {o.kind for o in rows} == {"working_group_meeting"}
    # first Tuesday of each month (5 March 2030 is the first Tuesday), 9:30 local
    for occ in rows:
        local = occ.start.astimezone(paris(2030, 1, 1).tzinfo)
        assert local.weekday() == 1 and local.day <= 7 and (local.hour, local.minute) == (9, 30)
    assert SeriesState.objects.get(page=page).sequence == 0
    page.repeat_count = 3
    publish(page)
    assert Occurrence.objects.filter(page=page).count() == 3
    assert SeriesState.objects.get(page=page).sequence == 1


def test_unpublish_deletes_or_cancels(agenda):
    page = publish(EventPageFactory(parent=agenda, repeat="weekly", repeat_count=3))
    first = Occurrence.objects.filter(page=page).first()
    Registration.objects.create(
        occurrence=first, first_name="A", last_name="B", email="a@b.fr", status=RegistrationStatus.CONFIRMED
    )
    page.unpublish()
    assert list(Occurrence.objects.filter(page=page).values_list("status", flat=True)) == [OccurrenceStatus.CANCELLED]
    publish(page)
    assert Occurrence.objects.filter(page=page, status=OccurrenceStatus.SCHEDULED).count() == 3


def test_exception_dates_compared_as_dates(agenda):
    page = EventPageFactory(parent=agenda, repeat="weekly", repeat_count=4)
    publish(page, exceptions=[datetime.date(2030, 3, 12)], extras=[datetime.date(2030, 3, 14)])
    days = [o.start.astimezone(paris(2030, 1, 1).tzinfo).date() for o in Occurrence.objects.filter(page=page)]
    assert datetime.date(2030, 3, 12) not in days
    assert datetime.date(2030, 3, 14) in days


def test_weekly_meeting_stays_at_local_time_across_both_dst_changes(agenda):
    # 2030: summer time from 31 March, winter time from 27 October
    page = publish(
        EventPageFactory(
            parent=agenda,
            start=paris(2030, 3, 5, 9, 30),
            end=paris(2030, 3, 5, 12),
            repeat="weekly",
            repeat_until=datetime.date(2030, 11, 30),
        )
    )
    rows = list(Occurrence.objects.filter(page=page))
    assert len(rows) == 39
    zone = paris(2030, 1, 1).tzinfo
    for occ in rows:
        assert occ.start.astimezone(zone).time() == datetime.time(9, 30)
        assert occ.end.astimezone(zone).time() == datetime.time(12)
    utc_hours = {occ.start.astimezone(datetime.UTC).hour for occ in rows}
    assert utc_hours == {7, 8}  # 8:30 UTC in winter, 7:30 UTC in summer


def test_delete_page_without_registrations_in_admin(agenda, client):
    editor = EditorFactory(is_superuser=True)
    client.force_login(editor)
    page = publish(EventPageFactory(parent=agenda, repeat="weekly", repeat_count=2))
    response = client.post(f"/admin/pages/{page.pk}/delete/")
    assert response.status_code == 302
    assert not Page.objects.filter(pk=page.pk).exists()
    assert not Occurrence.objects.filter(page_id=page.pk).exists()


def test_delete_page_with_registrations_is_refused_with_message(agenda, client):
    client.force_login(EditorFactory(is_superuser=True))
    page = publish(EventPageFactory(parent=agenda))
    occ = Occurrence.objects.get(page=page)
    Registration.objects.create(
        occurrence=occ, first_name="A", last_name="B", email="a@b.fr", status=RegistrationStatus.CONFIRMED
    )
    for method in (client.get, client.post):
        response = method(f"/admin/pages/{page.pk}/delete/", follow=True)
        assert response.status_code == 200
        assert "ne peut pas être supprimée" in response.content.decode()
    assert Page.objects.filter(pk=page.pk).exists()
    # deleting the agenda (a parent) is refused too
    response = client.post(f"/admin/pages/{agenda.pk}/delete/", follow=True)
    assert Page.objects.filter(pk=agenda.pk).exists()


def test_move_keeps_occurrences_and_touches_them(agenda, client):
    page = publish(EventPageFactory(parent=agenda))
    occ = Occurrence.objects.get(page=page)
    before = occ.updated_at
    from events.wagtail_hooks import resync_after_move

    resync_after_move(None, page)
    occ.refresh_from_db()
    assert occ.updated_at > before


def test_admin_cancel_and_move_one_occurrence(agenda, client):
    client.force_login(EditorFactory(is_superuser=True))
    page = publish(EventPageFactory(parent=agenda, repeat="weekly", repeat_count=3))
    first, second, third = Occurrence.objects.filter(page=page)
    listing = client.get(f"/admin/dates/{page.pk}/")
    assert listing.status_code == 200 and "Déplacer" in listing.content.decode()
    edit = client.get(f"/admin/pages/{page.pk}/edit/")
    assert f"/admin/dates/{page.pk}/" in edit.content.decode()
    bad = client.post(f"/admin/dates/{page.pk}/{first.pk}/annuler/", {"reason": ""})
    assert bad.status_code == 400
    ok = client.post(f"/admin/dates/{page.pk}/{first.pk}/annuler/", {"reason": "Grève des transports"})
    assert ok.status_code == 302
    first.refresh_from_db()
    assert first.status == OccurrenceStatus.CANCELLED and first.status_reason == "Grève des transports"
    bad = client.post(
        f"/admin/dates/{page.pk}/{second.pk}/deplacer/",
        {"start": "2030-03-13 14:00", "end": "2030-03-13 13:00"},
    )
    assert bad.status_code == 400
    ok = client.post(
        f"/admin/dates/{page.pk}/{second.pk}/deplacer/",
        {"start": "2030-03-13 14:00", "end": "2030-03-13 16:30", "reason": "Salle indisponible"},
    )
    assert ok.status_code == 302
    second.refresh_from_db()
    assert second.start == paris(2030, 3, 13, 14) and second.is_moved
    # another page's occurrence through this page's URL: 404
    other = publish(EventPageFactory(parent=agenda))
    other_occ = Occurrence.objects.get(page=other)
    assert client.get(f"/admin/dates/{page.pk}/{other_occ.pk}/annuler/").status_code == 404
    # re-publishing keeps the cancelled and moved ones
    publish(page)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == OccurrenceStatus.CANCELLED and second.start == paris(2030, 3, 13, 14)
    assert cancel_occurrence  # the service the view uses


def test_bulk_delete_with_registrations_is_refused(agenda, client):
    client.force_login(EditorFactory(is_superuser=True))
    page = publish(EventPageFactory(parent=agenda))
    free = publish(EventPageFactory(parent=agenda))
    Registration.objects.create(
        occurrence=Occurrence.objects.get(page=page),
        first_name="A",
        last_name="B",
        email="a@b.fr",
        status=RegistrationStatus.CONFIRMED,
    )
    url = f"/admin/bulk/wagtailcore/page/delete/?id={page.pk}&id={free.pk}"
    response = client.post(url, follow=True)
    assert response.status_code == 200 and "ne peut pas être supprimée" in response.content.decode()
    assert Page.objects.filter(pk__in=[page.pk, free.pk]).count() == 2
    response = client.post(f"/admin/bulk/wagtailcore/page/delete/?id={free.pk}")
    assert response.status_code == 302
    assert not Page.objects.filter(pk=free.pk).exists()
