"""Editing an owner page never loses anyone (issue 11): dates keep their identity through edits,
the past is frozen, hand-cancelled and hand-moved dates stay as the editor left them, and the
registrants of a moved or removed date are told once, with the editor's reason."""

import datetime
import html
from collections import Counter

from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

import icalendar
import pytest
import time_machine

from base.french_dates import french_datetime
from base.periods import year_period
from events.services import materialise
from registrations import services
from registrations.errors import RegistrationError
from registrations.ical import registration_calendar
from registrations.models import Attendance, Occurrence, OccurrenceStatus, Registration, RegistrationStatus
from registrations.occurrences import cancel_occurrence, leave_schedule_note, preview, reschedule_occurrence
from reports.figures import as_dict, compute
from tests.factories import MemberFactory
from tests.factories.attendance import AttendanceFactory, RegistrationFactory
from tests.factories.events import PARIS, EventIndexPageFactory, EventPageFactory, paris, publish

pytestmark = pytest.mark.django_db
S = RegistrationStatus
MOVED, CANCELLED = "Changement d'horaire", "Date annulée"


@pytest.fixture
def agenda(home_page):
    return EventIndexPageFactory(parent=home_page)


def publish_with_reason(page, reason):
    """What the admin does on « Publier » after the confirmation screen: the editor's reason is
    left for the revision, then the revision is published (page_published materialises)."""
    page.full_clean()
    page.save()
    revision = page.save_revision()
    leave_schedule_note(page, revision=revision, reason=reason)
    revision.publish()
    page.refresh_from_db()
    return page


def rows_of(page):
    return list(Occurrence.objects.filter(page=page).order_by("original_start"))


def fill(occurrence, statuses=(S.CONFIRMED, S.CONFIRMED, S.WAITLISTED, S.CANCELLED)):
    return [RegistrationFactory(occurrence=occurrence, status=status) for status in statuses]


def snapshot(rows):
    """Everything a page edit must leave alone on ``rows``: the rows, their registrations and
    attendance."""
    ids = [row.pk for row in rows]
    return (
        list(
            Occurrence.objects.filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", "start", "end", "original_start", "status", "sequence", "updated_at")
        ),
        list(
            Registration.objects.filter(occurrence_id__in=ids)
            .order_by("pk")
            .values_list("pk", "occurrence_id", "status", "cancelled_at", "updated_at")
        ),
        list(
            Attendance.objects.filter(registration__occurrence_id__in=ids)
            .order_by("pk")
            .values_list("pk", "registration_id", "part_id", "status", "recorded_at")
        ),
    )


def told(prefix=None):
    """Counter of (recipient, subject prefix) of the e-mails sent."""
    found = Counter((m.to[0], m.subject.split(" :")[0]) for m in mail.outbox)
    if prefix is None:
        return found
    return Counter(to for (to, subject), n in found.items() for _ in range(n) if subject == prefix)


def ics_of(message):
    (name, content, mimetype) = message.attachments[0]
    assert name == "evenement.ics"
    calendar = icalendar.Calendar.from_ical(content)
    assert not calendar.errors
    return calendar, calendar.walk("VEVENT")[0]


def html_of(message):
    return html.unescape(next(body for body, mimetype in message.alternatives if mimetype == "text/html"))


def local(value):
    return value.astimezone(PARIS)


def local_date(value):
    return local(value).date()


# ------------------------------------------------------------------------------------ the issue


def test_monthly_meeting_moved_to_10h_past_untouched_future_moved_each_told_once(
    agenda, django_capture_on_commit_callbacks
):
    with time_machine.travel(paris(2029, 12, 1, 12), tick=False):
        page = publish(
            EventPageFactory(
                parent=agenda,
                title="Groupe de travail Construction : réunion mensuelle",
                kind="working_group_meeting",
                start=paris(2030, 1, 10, 9, 30),
                end=paris(2030, 1, 10, 12),
                repeat="monthly_day",
                repeat_count=12,
            )
        )
    rows = rows_of(page)
    assert len(rows) == 12
    for row in rows:
        for registration in fill(row):
            if row.start < paris(2030, 6, 20) and registration.status == S.CONFIRMED:
                AttendanceFactory(registration=registration, part=row.parts.first())
    past = [row for row in rows if row.start < paris(2030, 6, 20)]
    future = [row for row in rows if row not in past]
    assert len(past) == 6 and len(future) == 6
    before = snapshot(past)
    future_regs = list(Registration.objects.filter(occurrence__in=future).order_by("pk"))
    uids = {r.pk: str(ics_of_bytes(registration_calendar(r))["uid"]) for r in future_regs}
    reason = "La salle n'est libre qu'à partir de 10 h."

    with time_machine.travel(paris(2030, 6, 20, 12), tick=False):
        page.start, page.end = paris(2030, 1, 10, 10), paris(2030, 1, 10, 12, 30)
        seen = preview(page)
        assert sorted(occ.pk for occ, *_ in seen.moved) == sorted(row.pk for row in future)
        assert (seen.people_moved, seen.cancelled, seen.created) == (6 * 3, [], 0)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            publish_with_reason(page, reason)

    assert snapshot(past) == before  # the past, its registrations and attendance: untouched
    assert [row.pk for row in rows_of(page)] == [row.pk for row in rows]  # no date created or lost
    for old in future:
        row = Occurrence.objects.get(pk=old.pk)
        assert row.status == OccurrenceStatus.SCHEDULED and row.sequence == old.sequence + 1
        assert (local_date(row.start), local(row.start).time()) == (
            local_date(old.start),
            datetime.time(10),
        )
        assert row.end - row.start == datetime.timedelta(hours=2, minutes=30)
    for registration in future_regs:  # same rows, same statuses
        assert Registration.objects.filter(pk=registration.pk, status=registration.status).exists()
        assert Registration.objects.get(pk=registration.pk).occurrence_id == registration.occurrence_id
    active = [r for r in future_regs if r.is_active]
    assert told() == Counter({(r.email, MOVED): 1 for r in active})
    for registration in active:
        (message,) = [m for m in mail.outbox if m.to == [registration.email]]
        old = next(row for row in future if row.pk == registration.occurrence_id)
        new = Occurrence.objects.get(pk=old.pk)
        for part in (message.body, html_of(message)):
            assert french_datetime(old.start) in part and french_datetime(new.start) in part
            assert reason in part
        calendar, event = ics_of(message)
        assert calendar["method"] == "REQUEST"
        assert event["sequence"] == old.sequence + 1
        assert str(event["uid"]) == uids[registration.pk]
        assert event.decoded("dtstart") == new.start


def ics_of_bytes(content):
    return icalendar.Calendar.from_ical(content).walk("VEVENT")[0]


def test_supplier_meeting_moved_by_a_day_keeps_its_applications(agenda, django_capture_on_commit_callbacks):
    with time_machine.travel(paris(2030, 1, 1, 12), tick=False):
        page = publish(
            EventPageFactory(
                parent=agenda,
                kind="market_engagement",
                audience="suppliers",
                start=paris(2030, 3, 5, 14),
                end=paris(2030, 3, 5, 17),
            )
        )
        (row,) = rows_of(page)
        applications = fill(row, (S.APPLIED, S.SELECTED, S.APPLIED, S.DECLINED))
        page.start, page.end = paris(2030, 3, 6, 14), paris(2030, 3, 6, 17)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            publish_with_reason(page, "Le 5 mars est férié pour le département.")
    (moved,) = rows_of(page)
    assert moved.pk == row.pk and moved.start == paris(2030, 3, 6, 14) and moved.status == OccurrenceStatus.SCHEDULED
    assert [Registration.objects.get(pk=r.pk).status for r in applications] == [r.status for r in applications]
    assert told() == Counter({(r.email, MOVED): 1 for r in applications if r.status != S.DECLINED})


def test_weekday_change_maps_each_date_to_the_nearest_new_date(agenda, django_capture_on_commit_callbacks):
    with time_machine.travel(paris(2030, 1, 1, 12), tick=False):
        # Mondays from 7 January 2030.
        page = publish(
            EventPageFactory(
                parent=agenda,
                start=paris(2030, 1, 7, 14),
                end=paris(2030, 1, 7, 16),
                repeat="weekly",
                repeat_count=8,
            )
        )
    rows = rows_of(page)
    for row in rows:
        fill(row, (S.CONFIRMED, S.WAITLISTED))
    with time_machine.travel(paris(2030, 1, 22, 12), tick=False):  # three Mondays have passed
        page.start, page.end = paris(2030, 1, 9, 14), paris(2030, 1, 9, 16)  # Wednesdays
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            publish_with_reason(page, "Le lundi ne convient plus.")
    after = {row.pk: row for row in rows_of(page)}
    # Every Monday kept its row; the Wednesday of the current week (23 January) is a new date.
    (created,) = set(after) - {row.pk for row in rows}
    assert after[created].start == paris(2030, 1, 23, 14) and not after[created].registrations.exists()
    for row in rows:
        new = after[row.pk]
        if row.start < paris(2030, 1, 22, 12):
            assert new.start == row.start and new.sequence == 0  # history
        else:  # the Wednesday of the same week, two days later: not cancelled, not a week away
            assert new.start == row.start + datetime.timedelta(days=2)
            assert new.status == OccurrenceStatus.SCHEDULED
    assert not Registration.objects.filter(occurrence__page=page, status=S.CANCELLED).exists()
    moved_people = Registration.objects.filter(occurrence__page=page, occurrence__start__gt=paris(2030, 1, 22, 12))
    assert told() == Counter({(r.email, MOVED): 1 for r in moved_people})


def test_exception_date_cancels_only_that_date(agenda, django_capture_on_commit_callbacks):
    with time_machine.travel(paris(2030, 1, 1, 12), tick=False):
        page = publish(EventPageFactory(parent=agenda, repeat="monthly_day", repeat_count=6))
        rows = rows_of(page)  # 5 March 2030, 5 April…
        registrations = {row.pk: fill(row) for row in rows}
        target = rows[2]  # 5 May
        reason = "Pont du 8 mai : trop peu de disponibles."
        mail.outbox.clear()
        page.exception_dates.add(page.exception_dates.model(date=local_date(target.start)))
        # What the editor's confirmation screen shows before publishing: one date removed, its
        # three active registrants told, no refund (nothing paid), nothing moved.
        seen = preview(page)
        assert ([occ.pk for occ, _people in seen.cancelled], seen.people_cancelled) == ([target.pk], 3)
        assert (seen.moved, seen.refunds, seen.created, seen.deleted) == ([], 0, 0, 0)
        with django_capture_on_commit_callbacks(execute=True):
            publish_with_reason(page, reason)
    after = {row.pk: row for row in rows_of(page)}
    assert set(after) == {row.pk for row in rows}  # cancelled (it has registrations), not deleted
    assert after[target.pk].status == OccurrenceStatus.CANCELLED and after[target.pk].status_reason == reason
    for row in rows:
        if row.pk != target.pk:
            assert (after[row.pk].status, after[row.pk].start, after[row.pk].sequence) == (
                OccurrenceStatus.SCHEDULED,
                row.start,
                0,
            )
            assert [Registration.objects.get(pk=r.pk).status for r in registrations[row.pk]] == [
                r.status for r in registrations[row.pk]
            ]
    cancelled = [r for r in registrations[target.pk] if r.is_active]
    assert {r.status for r in Registration.objects.filter(occurrence=target)} == {S.CANCELLED}
    assert told() == Counter({(r.email, CANCELLED): 1 for r in cancelled})
    for message in mail.outbox:
        assert reason in message.body and reason in html_of(message)
        calendar, event = ics_of(message)
        assert calendar["method"] == "CANCEL" and event["status"] == "CANCELLED"


def test_hand_cancelled_and_hand_moved_dates_stay_as_left_after_a_series_edit(
    agenda, django_capture_on_commit_callbacks
):
    with time_machine.travel(paris(2030, 1, 1, 12), tick=False):
        page = publish(
            EventPageFactory(
                parent=agenda,
                start=paris(2030, 2, 4, 9, 30),
                end=paris(2030, 2, 4, 12),
                repeat="monthly_day",
                repeat_count=6,
            )
        )
        rows = rows_of(page)
        assert len(rows) == 6
        for row in rows:
            fill(row, (S.CONFIRMED,))
        cancelled, moved = rows[2], rows[3]
        cancel_occurrence(cancelled, reason="Grève des transports")
        hand_start = moved.start + datetime.timedelta(days=1, hours=4)
        reschedule_occurrence(moved, start=hand_start, end=hand_start + datetime.timedelta(hours=2), reason="Salle")
        mail.outbox.clear()
        page.start, page.end = paris(2030, 2, 4, 10), paris(2030, 2, 4, 12, 30)
        with django_capture_on_commit_callbacks(execute=True):
            publish_with_reason(page, "Nouvel horaire")
        # An edit of the rule later on changes nothing for them either.
        page.repeat_interval = 1
        page.exception_dates.add(page.exception_dates.model(date=local_date(rows[5].start)))
        with django_capture_on_commit_callbacks(execute=True):
            publish_with_reason(page, "Dernière date retirée")
    cancelled.refresh_from_db()
    moved.refresh_from_db()
    assert cancelled.status == OccurrenceStatus.CANCELLED and cancelled.status_reason == "Grève des transports"
    assert moved.status == OccurrenceStatus.SCHEDULED and moved.start == hand_start
    scheduled = list(Occurrence.objects.filter(page=page, status=OccurrenceStatus.SCHEDULED))
    assert len({row.start for row in scheduled}) == len(scheduled)
    assert len(scheduled) == 4  # 1, 2, 4 (by hand), 5; 6 left the series; 3 cancelled by hand
    # The edits told neither the hand-cancelled nor the hand-moved date's people; the time change
    # told the four other dates' people once; the exception then cancelled the last date.
    person = {row.pk: Registration.objects.get(occurrence=row).email for row in rows}
    expected = Counter({(person[row.pk], MOVED): 1 for row in (rows[0], rows[1], rows[4], rows[5])})
    expected[(person[rows[5].pk], CANCELLED)] = 1
    assert told() == expected


# ------------------------------------------------------------------------------------ the report


def test_activity_report_for_last_year_is_identical_after_edits_of_this_years_page(
    agenda, django_capture_on_commit_callbacks
):
    now = paris(2030, 4, 15, 12)
    with time_machine.travel(paris(2029, 1, 1, 12), tick=False):
        page = publish(
            EventPageFactory(
                parent=agenda,
                kind="working_group_meeting",
                start=paris(2029, 9, 10, 9, 30),
                end=paris(2029, 9, 10, 12),
                repeat="monthly_day",
                repeat_count=14,
            )
        )
    organisation_people = [MemberFactory() for _ in range(3)]
    for row in rows_of(page):
        for person in organisation_people:
            registration = RegistrationFactory(
                occurrence=row, email=person.email, user=person, organisation=person.organisation
            )
            if row.start < now:
                AttendanceFactory(registration=registration, part=row.parts.first())
    with time_machine.travel(now, tick=False):
        before = as_dict(compute(year_period(2029), now=now))
        edits = [
            {"start": paris(2029, 9, 10, 10), "end": paris(2029, 9, 10, 12, 30)},  # time
            {"start": paris(2029, 9, 11, 10), "end": paris(2029, 9, 11, 12, 30)},  # day of the month
            {"repeat_count": 10},  # until / count
            {"repeat_interval": 2},  # interval
        ]
        for edit in edits:
            for name, value in edit.items():
                setattr(page, name, value)
            with django_capture_on_commit_callbacks(execute=True):
                publish_with_reason(page, "Réorganisation")
        page.unpublish()
        after = as_dict(compute(year_period(2029), now=now))
    assert after == before
    assert before["figures"]  # the report has figures for 2029 (not an empty comparison)
    past = [row for row in rows_of(page) if row.start < now]
    assert len(past) == 8 and Attendance.objects.filter(registration__occurrence__page=page).count() == 3 * 8


# ------------------------------------------------------------------------------------ windows, validation


def test_per_date_registration_windows_follow_each_date(agenda):
    with time_machine.travel(paris(2030, 1, 1, 12), tick=False):
        page = EventPageFactory(
            parent=agenda,
            start=paris(2030, 1, 14, 9, 30),
            end=paris(2030, 1, 14, 12),
            repeat="monthly_day",
            repeat_count=4,
            registration_opens_days_before=40,
            registration_closes_hours_before=48,
        )
        publish(page)
        rows = rows_of(page)
        for row in rows:
            assert row.registration_opens_at == local(row.start) - datetime.timedelta(days=40)
            assert row.registration_closes_at == local(row.start) - datetime.timedelta(hours=48)
        person = MemberFactory()
        # 1 January: the 14 January date is open, the 14 February one not yet.
        assert services.register(rows[0], user=person).status == S.CONFIRMED
        with pytest.raises(RegistrationError) as error:
            services.register(rows[1], user=person)
        assert error.value.code == "not_open"
    with time_machine.travel(paris(2030, 2, 13, 12), tick=False):  # 14 February: closed (48 h before)
        with pytest.raises(RegistrationError) as error:
            services.register(rows[1], user=MemberFactory())
        assert error.value.code == "closed"
        assert services.register(rows[2], user=MemberFactory()).status == S.CONFIRMED  # March: open
        # Moving the series moves each date's window with it.
        page.start, page.end = paris(2030, 1, 16, 9, 30), paris(2030, 1, 16, 12)
        publish(page)
    moved = Occurrence.objects.get(pk=rows[3].pk)
    assert moved.start == paris(2030, 4, 16, 9, 30)
    assert moved.registration_opens_at == paris(2030, 3, 7, 9, 30)
    assert moved.registration_closes_at == paris(2030, 4, 14, 9, 30)


def errors_of(page):
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    return error.value.message_dict


def test_registration_window_errors_are_keyed_to_the_field(agenda):
    page = EventPageFactory(parent=agenda, repeat="monthly_day", repeat_count=3)
    page.registration_opens_days_before, page.registration_opens_at = 10, paris(2030, 1, 1)
    page.registration_closes_hours_before, page.registration_closes_at = 24, paris(2030, 3, 1)
    errors = errors_of(page)
    assert errors["registration_opens_days_before"] == [
        "Choisissez une ouverture fixe ou un nombre de jours avant chaque date, pas les deux."
    ]
    assert errors["registration_closes_hours_before"] == [
        "Choisissez une clôture fixe ou un nombre d'heures avant chaque date, pas les deux."
    ]
    page.registration_opens_at = page.registration_closes_at = None
    page.registration_opens_days_before, page.registration_closes_hours_before = 2, 48
    assert errors_of(page) == {
        "registration_closes_hours_before": [
            "Les inscriptions fermeraient avant d'ouvrir : réduisez ce délai ou ouvrez plus tôt."
        ]
    }
    page.registration_closes_hours_before = 47
    page.full_clean()


def test_invalid_series_refused_with_french_messages_and_dates_unchanged(agenda):
    with time_machine.travel(paris(2030, 1, 1, 12), tick=False):
        page = publish(EventPageFactory(parent=agenda, repeat="monthly_day", repeat_count=4))
        before = snapshot(rows_of(page))
        page.end = page.start - datetime.timedelta(hours=1)
        assert errors_of(page)["end"] == ["La fin doit suivre le début."]
        with pytest.raises(ValidationError):
            publish(page)
        page.refresh_from_db()
        page.repeat_count, page.repeat_until = None, datetime.date(2030, 3, 1)  # the first date: 5 March
        assert errors_of(page)["repeat_until"] == ["La fin de la répétition doit suivre le début de l'événement."]
        with pytest.raises(ValidationError):
            publish(page)
    assert snapshot(Occurrence.objects.filter(page=page)) == before


# ------------------------------------------------------------------------------------ scale


def queries_to_move(agenda, registrations_per_date):
    """Queries spent publishing (syncing) a time shift of 5 future dates with registrants."""
    with time_machine.travel(paris(2030, 1, 1, 12), tick=False):
        page = publish(EventPageFactory(parent=agenda, repeat="monthly_day", repeat_count=5, capacity=None))
        rows = rows_of(page)
        Registration.objects.bulk_create(
            Registration(
                occurrence=row,
                first_name="Camille",
                last_name=f"{row.pk}-{n}",
                email=f"p{n}-{row.pk}@exemple.fr",
                status=S.WAITLISTED if n % 5 == 0 else S.CONFIRMED,
            )
            for row in rows
            for n in range(registrations_per_date)
        )
        page.start += datetime.timedelta(minutes=30)
        page.end += datetime.timedelta(minutes=30)
        with CaptureQueriesContext(connection) as queries:
            result = materialise(page)
    assert len(result.moved) == 5 and not result.cancelled and not result.created
    assert Registration.objects.filter(occurrence__page=page).active().count() == 5 * registrations_per_date
    return len(queries)


def test_moving_dates_costs_the_same_queries_with_1000_registrations_as_with_10(agenda):
    few = queries_to_move(agenda, 2)  # 10 registrations
    many = queries_to_move(agenda, 200)  # 1,000 registrations
    assert many == few
    assert many <= 60


# ------------------------------------------------------------------------------------ trainings


def test_training_run_moved_keeps_its_registrations_and_tells_them(home_page, django_capture_on_commit_callbacks):
    from tests.factories.trainings import TrainingIndexPageFactory, day_at, training_with_runs
    from trainings.models import TrainingPage

    page = training_with_runs(TrainingIndexPageFactory(parent=home_page), runs=[(30, 2), (60, 1)])
    first, second = Occurrence.objects.filter(page=page).order_by("start")
    people = fill(first, (S.CONFIRMED, S.PENDING_PAYMENT, S.WAITLISTED, S.CANCELLED))
    others = fill(second, (S.CONFIRMED,))
    page = TrainingPage.objects.get(pk=page.pk)
    runs = sorted(page.runs.all(), key=lambda run: run.start)
    runs[0].start, runs[0].end = day_at(33, 9), day_at(34, 17)
    page.runs = runs
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish_with_reason(page, "Formatrice indisponible la première semaine.")
    moved = Occurrence.objects.get(pk=first.pk)
    assert (moved.start, moved.end, moved.status) == (day_at(33, 9), day_at(34, 17), OccurrenceStatus.SCHEDULED)
    assert [Registration.objects.get(pk=r.pk).status for r in people + others] == [r.status for r in people + others]
    assert Occurrence.objects.get(pk=second.pk).sequence == second.sequence
    assert told() == Counter({(r.email, MOVED): 1 for r in people if r.is_active})
    assert all("Formatrice indisponible" in m.body for m in mail.outbox)


def test_moving_the_time_earlier_on_the_day_of_a_date_never_cancels_it(agenda, django_capture_on_commit_callbacks):
    with time_machine.travel(paris(2030, 1, 1, 12), tick=False):
        page = publish(
            EventPageFactory(
                parent=agenda,
                start=paris(2030, 3, 5, 14),
                end=paris(2030, 3, 5, 16),
                repeat="monthly_day",
                repeat_count=3,
            )
        )
    rows = rows_of(page)
    for row in rows:
        fill(row, (S.CONFIRMED,))
    with time_machine.travel(paris(2030, 3, 5, 12), tick=False):  # 14:00 today: not started
        page.start, page.end = paris(2030, 3, 5, 11), paris(2030, 3, 5, 13)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            publish_with_reason(page, "Horaire avancé")
    today = Occurrence.objects.get(pk=rows[0].pk)
    assert today.status == OccurrenceStatus.SCHEDULED
    assert not Registration.objects.filter(occurrence=today, status=S.CANCELLED).exists()
    assert not told(CANCELLED)
