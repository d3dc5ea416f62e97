"""The engine's occurrence lifecycle (registrations/occurrences.py), shared by events and trainings."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from registrations.errors import RegistrationError
from registrations.models import Occurrence, OccurrenceStatus, PartKind, Registration, RegistrationStatus
from registrations.occurrences import (
    OccurrenceSpec,
    cancel_occurrence,
    delete_page_occurrences,
    reschedule_occurrence,
    sync_occurrences,
)
from registrations.signals import occurrence_cancelled, occurrence_rescheduled
from tests.factories import StandardPageFactory

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), PARIS)


def monthly(n, *, capacity=20):
    days = [datetime.date(2030, month, 10) for month in range(1, n + 1)]
    return [OccurrenceSpec(original_start=at(d, 9, 30), end=at(d, 12), capacity=capacity) for d in days]


@pytest.fixture
def page(home_page):
    return StandardPageFactory(parent=home_page)


def register(occ, n=1, status=RegistrationStatus.CONFIRMED):
    for i in range(n):
        Registration.objects.create(
            occurrence=occ, first_name="A", last_name=str(i), email=f"p{i}-{occ.pk}@x.fr", status=status
        )


def test_sync_creates_rows_with_parts_and_is_idempotent(page):
    result = sync_occurrences(page, monthly(3), kind="webinar")
    assert len(result.created) == 3
    assert Occurrence.objects.filter(page=page, kind="webinar").count() == 3
    occ = Occurrence.objects.filter(page=page).first()
    assert [p.kind for p in occ.parts.all()] == [PartKind.WHOLE]
    again = sync_occurrences(page, monthly(3), kind="webinar")
    assert not again.changed
    assert Occurrence.objects.filter(page=page).count() == 3


def test_sync_accepts_dicts(page):
    spec = {"original_start": at(datetime.date(2030, 1, 1), 9), "end": at(datetime.date(2030, 1, 1), 17)}
    sync_occurrences(page, [spec], kind="training")
    occ = Occurrence.objects.get(page=page)
    assert occ.start == occ.original_start
    assert [p.kind for p in occ.parts.all()] == [PartKind.MORNING, PartKind.AFTERNOON]


def test_time_change_bumps_sequence_and_updates_parts(page):
    sync_occurrences(page, monthly(1), kind="webinar")
    spec = monthly(1)[0]
    spec.end = at(datetime.date(2030, 1, 10), 17)
    result = sync_occurrences(page, [spec], kind="webinar")
    occ = Occurrence.objects.get(page=page)
    assert result.updated == [occ] and occ.sequence == 1
    assert [p.kind for p in occ.parts.all()] == [PartKind.MORNING, PartKind.AFTERNOON]


def test_capacity_change_never_below_seats_taken_and_not_on_overridden(page):
    sync_occurrences(page, monthly(2), kind="webinar")
    first, second = Occurrence.objects.filter(page=page)
    register(first, 5)
    second.capacity, second.capacity_overridden = 50, True
    second.save()
    sync_occurrences(page, monthly(2, capacity=3), kind="webinar")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.capacity == 5
    assert second.capacity == 50
    assert first.sequence == 0  # capacity is not a time change


def test_removed_rows_deleted_or_cancelled_when_registered(page):
    sync_occurrences(page, monthly(3), kind="webinar")
    first, second, third = Occurrence.objects.filter(page=page)
    register(second)
    received = []
    occurrence_cancelled.connect(lambda **kw: received.append(kw["occurrence"].pk), weak=False, dispatch_uid="t1")
    try:
        result = sync_occurrences(page, monthly(1), kind="webinar")
    finally:
        occurrence_cancelled.disconnect(dispatch_uid="t1")
    assert result.deleted == [third.original_start]
    assert [o.pk for o in result.cancelled] == [second.pk]
    assert received == [second.pk]
    second.refresh_from_db()
    assert second.status == OccurrenceStatus.CANCELLED and second.sequence == 1 and second.status_reason
    assert not Occurrence.objects.filter(pk=third.pk).exists()
    # It comes back if the series wants it again.
    sync_occurrences(page, monthly(2), kind="webinar")
    second.refresh_from_db()
    assert second.status == OccurrenceStatus.SCHEDULED and second.sequence == 2


def test_detached_rows_are_kept(page):
    sync_occurrences(page, monthly(2), kind="webinar")
    first, second = Occurrence.objects.filter(page=page)
    new_start = at(datetime.date(2030, 1, 12), 14)
    reschedule_occurrence(first, start=new_start, end=new_start + datetime.timedelta(hours=2), reason="Salle prise")
    cancel_occurrence(second, reason="Grève")
    sync_occurrences(page, [], kind="webinar")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.start == new_start and first.status == OccurrenceStatus.SCHEDULED
    assert second.status == OccurrenceStatus.CANCELLED
    sync_occurrences(page, monthly(2), kind="webinar")
    first.refresh_from_db()
    assert first.start == new_start


def test_cancel_occurrence(page):
    sync_occurrences(page, monthly(2), kind="webinar")
    occ, other = Occurrence.objects.filter(page=page)
    with pytest.raises(RegistrationError) as error:
        cancel_occurrence(occ, reason="  ")
    assert error.value.code == "reason_required"
    seen = []
    occurrence_cancelled.connect(lambda **kw: seen.append(kw["reason"]), weak=False, dispatch_uid="t2")
    try:
        cancel_occurrence(occ, reason="Intervenant malade")
    finally:
        occurrence_cancelled.disconnect(dispatch_uid="t2")
    assert seen == ["Intervenant malade"]
    occ.refresh_from_db()
    assert (occ.status, occ.status_reason, occ.detached, occ.sequence) == (
        OccurrenceStatus.CANCELLED,
        "Intervenant malade",
        True,
        1,
    )
    with pytest.raises(RegistrationError) as error:
        cancel_occurrence(occ, reason="encore")
    assert error.value.code == "already_cancelled"
    other.refresh_from_db()
    assert other.status == OccurrenceStatus.SCHEDULED and other.sequence == 0


def test_reschedule_occurrence(page):
    sync_occurrences(page, monthly(1), kind="webinar")
    occ = Occurrence.objects.get(page=page)
    original = occ.start
    new_start = at(datetime.date(2030, 1, 11), 9)
    with pytest.raises(RegistrationError) as error:
        reschedule_occurrence(occ, start=new_start, end=new_start)
    assert error.value.code == "invalid_times"
    with pytest.raises(RegistrationError) as error:
        reschedule_occurrence(occ, start=new_start.replace(tzinfo=None), end=new_start.replace(tzinfo=None))
    assert error.value.code == "naive_datetime"
    seen = []
    occurrence_rescheduled.connect(lambda **kw: seen.append(kw["previous_start"]), weak=False, dispatch_uid="t3")
    try:
        reschedule_occurrence(occ, start=new_start, end=at(datetime.date(2030, 1, 11), 17), reason="Salle")
    finally:
        occurrence_rescheduled.disconnect(dispatch_uid="t3")
    assert seen == [original]
    occ.refresh_from_db()
    assert occ.original_start == original and occ.start == new_start and occ.is_moved and occ.sequence == 1
    assert [p.kind for p in occ.parts.all()] == [PartKind.MORNING, PartKind.AFTERNOON]
    cancel_occurrence(occ, reason="Finalement annulée")
    with pytest.raises(RegistrationError) as error:
        reschedule_occurrence(occ, start=new_start, end=new_start + datetime.timedelta(hours=1))
    assert error.value.code == "cancelled"


def test_delete_page_occurrences_refuses_with_registrations(page):
    sync_occurrences(page, monthly(2), kind="webinar")
    register(Occurrence.objects.filter(page=page).first(), status=RegistrationStatus.CANCELLED)
    with pytest.raises(RegistrationError) as error:
        delete_page_occurrences(page)
    assert error.value.code == "has_registrations"
    Registration.objects.all().delete()
    delete_page_occurrences(page)
    assert not Occurrence.objects.filter(page=page).exists()


def test_an_evening_date_past_midnight_still_has_a_part_for_attendance():
    from registrations.schedule import default_parts

    start = at(datetime.date(2030, 1, 10), 22, 30)
    parts = default_parts(start, start + datetime.timedelta(hours=2))
    assert [(kind, s, e) for _d, kind, s, e in parts] == [(PartKind.WHOLE, start, start + datetime.timedelta(hours=2))]
