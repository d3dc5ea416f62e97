"""Property (issue 11): over random sequences of edits of a recurring event with registrations and
attendance on past and future dates, every publish keeps the past frozen, cancels a registration
only when its date left the series, tells each affected person exactly once, and never leaves two
live dates at the same start. Controls put the old engine back and show the check then fails.

HYPOTHESIS_EXAMPLES (default 25) sets the number of random sequences."""

import datetime
import itertools
import os
from collections import Counter

from django.core import mail
from django.db import transaction

import pytest
import time_machine
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from events.models import EventExceptionDate, EventExtraDate
from events.services import materialise
from registrations import sync
from registrations.errors import RegistrationError
from registrations.models import (
    Attendance,
    AttendanceStatus,
    Occurrence,
    OccurrencePart,
    OccurrenceStatus,
    Registration,
    RegistrationStatus,
)
from registrations.models.registrations import ACTIVE_STATUSES
from registrations.occurrences import cancel_occurrence, reschedule_occurrence
from tests.factories.events import PARIS, EventIndexPageFactory, EventPageFactory, paris

pytestmark = pytest.mark.django_db
S = RegistrationStatus
MOVED, CANCELLED = "Changement d'horaire", "Date annulée"
START_NOW = paris(2030, 1, 1, 12)
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_emails = itertools.count()

SETTINGS = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "25")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def agenda(home_page):
    return EventIndexPageFactory(parent=home_page)


# ------------------------------------------------------------------------------------ strategies

series = st.fixed_dictionaries(
    {
        "repeat": st.sampled_from(["weekly", "monthly_day", "monthly_weekday"]),
        "day": st.integers(7, 13),  # first date: 7 to 13 January 2030
        "hour": st.sampled_from([9, 14]),
        "count": st.integers(4, 9),
    }
)
edit = st.one_of(
    st.tuples(st.just("shift"), st.sampled_from([-90, -30, 30, 60, 120])),  # minutes
    st.tuples(st.just("duration"), st.sampled_from([30, 90, 180, 420])),  # minutes
    st.tuples(st.just("day"), st.sampled_from([-2, -1, 1, 2, 3])),  # weekday / day of month
    st.tuples(st.just("weekdays"), st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=2, unique=True)),
    st.tuples(st.just("interval"), st.integers(1, 3)),
    st.tuples(st.just("count"), st.integers(2, 10)),
    st.tuples(st.just("until"), st.integers(20, 150)),  # days after the first date
    st.tuples(st.just("exception"), st.integers(0, 30)),
    st.tuples(st.just("unexception"), st.integers(0, 30)),
    st.tuples(st.just("extra"), st.integers(1, 120)),  # days after the first date
    st.tuples(st.just("unextra"), st.integers(0, 30)),
    st.tuples(st.just("hand_cancel"), st.integers(0, 30)),
    st.tuples(st.just("hand_move"), st.integers(0, 30), st.sampled_from([-1, 1, 2])),
    # Publish, now or later: time moves on first (dates may start meanwhile); drawn more often.
    *[st.tuples(st.just("publish"), st.sampled_from([0, 0, 5, 12, 30, 60]), st.sampled_from([0, 3, 9, 20]))] * 3,
)
edits = st.lists(edit, min_size=1, max_size=7)


# ------------------------------------------------------------------------------------ the model


class Series:
    """An event page with its dates, registrants and attendance, edited step by step."""

    def __init__(self, agenda, repeat, day, hour, count):
        self.now = START_NOW
        start = paris(2030, 1, day, hour)
        self.page = EventPageFactory(
            parent=agenda,
            start=start,
            end=start + datetime.timedelta(hours=2),
            repeat=repeat,
            repeat_count=count,
            capacity=2,
        )
        self.exceptions, self.extras = [], []
        self.hand_cancelled, self.hand_moved = {}, {}  # pk: start
        self.publishes = 0
        with time_machine.travel(self.now, tick=False):
            materialise(self.page, now=self.now)
        self._fill(Occurrence.objects.filter(page=self.page))

    def _fill(self, rows):
        """Two confirmed, one waitlisted and one cancelled person per date; attendance for the
        confirmed ones (dates become past as time moves on)."""
        statuses = [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED, S.CANCELLED]
        registrations = Registration.objects.bulk_create(
            Registration(
                occurrence=row,
                first_name="Camille",
                last_name=str(n),
                email=f"p{next(_emails)}@exemple.fr",
                status=status,
            )
            for row in rows
            for n, status in enumerate(statuses)
        )
        parts = {}
        for part in OccurrencePart.objects.filter(occurrence__page=self.page).order_by("start"):
            parts.setdefault(part.occurrence_id, part)
        Attendance.objects.bulk_create(
            Attendance(registration=r, part=parts[r.occurrence_id], status=AttendanceStatus.PRESENT)
            for r in registrations
            if r.status == S.CONFIRMED
        )

    # -- edits of the page (in memory until published) ---------------------------------------
    def apply(self, step, capture):
        getattr(self, f"do_{step[0]}")(*step[1:], capture=capture)

    def do_shift(self, minutes, capture):
        delta = datetime.timedelta(minutes=minutes)
        self.page.start += delta
        self.page.end += delta

    def do_duration(self, minutes, capture):
        self.page.end = self.page.start + datetime.timedelta(minutes=minutes)

    def do_day(self, days, capture):
        self.do_shift(days * 24 * 60, capture)

    def do_weekdays(self, days, capture):
        if self.page.repeat == "weekly":
            self.page.repeat_weekdays = days

    def do_interval(self, interval, capture):
        self.page.repeat_interval = interval

    def do_count(self, count, capture):
        self.page.repeat_count, self.page.repeat_until = count, None

    def do_until(self, days, capture):
        self.page.repeat_count = None
        self.page.repeat_until = self.first_day + datetime.timedelta(days=days)

    def do_exception(self, index, capture):
        days = sorted({spec.start.astimezone(PARIS).date() for spec in self.future_specs()} - set(self.exceptions))
        if days:
            self.exceptions.append(days[index % len(days)])
            self.page.exception_dates = [EventExceptionDate(date=d) for d in self.exceptions]

    def do_unexception(self, index, capture):
        if self.exceptions:
            self.exceptions.pop(index % len(self.exceptions))
            self.page.exception_dates = [EventExceptionDate(date=d) for d in self.exceptions]

    def do_extra(self, days, capture):
        day = self.first_day + datetime.timedelta(days=days)
        if day not in self.extras:
            self.extras.append(day)
            self.page.extra_dates = [EventExtraDate(date=d) for d in self.extras]

    def do_unextra(self, index, capture):
        if self.extras:
            self.extras.pop(index % len(self.extras))
            self.page.extra_dates = [EventExtraDate(date=d) for d in self.extras]

    # -- by hand, on one date (applied at once, as in the per-date admin) ---------------------
    def open_rows(self):
        return list(
            Occurrence.objects.filter(page=self.page, status=OccurrenceStatus.SCHEDULED, start__gt=self.now).order_by(
                "start"
            )
        )

    def do_hand_cancel(self, index, capture):
        rows = self.open_rows()
        if rows:
            row = rows[index % len(rows)]
            with time_machine.travel(self.now, tick=False), capture(execute=True):
                cancel_occurrence(row, reason="Intervenant malade")
            self.hand_cancelled[row.pk] = row.start
            self.hand_moved.pop(row.pk, None)

    def do_hand_move(self, index, days, capture):
        rows = self.open_rows()
        if not rows:
            return
        row = rows[index % len(rows)]
        start = row.start + datetime.timedelta(days=days, hours=3)
        if start <= self.now:
            return
        try:
            with time_machine.travel(self.now, tick=False), capture(execute=True):
                reschedule_occurrence(row, start=start, end=start + datetime.timedelta(hours=1), reason="Salle prise")
        except RegistrationError as error:
            assert error.code == "start_taken"
            return
        self.hand_moved[row.pk] = start

    # -- publishing, and what must hold after it ----------------------------------------------
    @property
    def first_day(self):
        return self.page.start.astimezone(PARIS).date()

    def future_specs(self):
        return [spec for spec in self.page.occurrence_specs(now=self.now) if spec.start > self.now]

    def do_publish(self, days, hours, capture):
        self.now += datetime.timedelta(days=days, hours=hours)
        self.publishes += 1
        before = State.take(self.page, self.now)
        mail.outbox.clear()
        with time_machine.travel(self.now, tick=False), capture(execute=True):
            result = materialise(self.page, now=self.now)
        check(before, State.take(self.page, self.now), result, self.future_specs(), self)
        if currently_in_test_context():  # what the examples covered (--hypothesis-show-statistics)
            for name in ("moved", "cancelled", "created", "deleted"):
                event(f"publish {name} dates: {'some' if getattr(result, name) else 'none'}")
            event(f"dates already started: {'some' if before.history else 'none'}")


class State:
    """What a publish may and may not change, read from the database."""

    @classmethod
    def take(cls, page, now):
        state = cls()
        rows = list(Occurrence.objects.filter(page=page).order_by("pk"))
        state.rows = {row.pk: row for row in rows}
        state.history = {
            row.pk: (
                row.start,
                row.end,
                row.original_start,
                row.status,
                row.sequence,
                row.status_reason,
                row.updated_at,
            )
            for row in rows
            if row.start <= now
        }
        state.registrations = {
            pk: (occurrence_id, status, cancelled_at, updated_at, email)
            for pk, occurrence_id, status, cancelled_at, updated_at, email in Registration.objects.filter(
                occurrence__page=page
            ).values_list("pk", "occurrence_id", "status", "cancelled_at", "updated_at", "email")
        }
        state.attendance = set(
            Attendance.objects.filter(registration__occurrence_id__in=list(state.history)).values_list(
                "pk", "registration_id", "part_id", "status", "recorded_at", "part__start", "part__end"
            )
        )
        return state


def check(before, after, result, future_specs, series):
    """The invariants of a publish."""
    # The past: rows that had started, their registrations and attendance are untouched.
    assert {pk: after.history[pk] for pk in before.history} == before.history, "une date passée a changé"
    past = set(before.history)
    assert {pk: r for pk, r in after.registrations.items() if r[0] in past} == {
        pk: r for pk, r in before.registrations.items() if r[0] in past
    }, "une inscription à une date passée a changé"
    assert (
        after.attendance >= before.attendance
        and {a for a in after.attendance if a[1] in {pk for pk, r in before.registrations.items() if r[0] in past}}
        == before.attendance
    ), "une présence passée a changé"

    # Registrations stay on their row; one is cancelled only with its row, which left the series.
    cancelled_rows = {occ.pk for occ in result.cancelled}
    spec_days = {spec.start.astimezone(PARIS).date() for spec in future_specs}
    for occ in result.cancelled:
        old = before.rows[occ.pk]
        assert old.start > series.now, "une date commencée a été annulée"
        assert old.start.astimezone(PARIS).date() not in spec_days, (
            f"la date du {old.start:%Y-%m-%d %H:%M} est encore dans la série mais a été annulée"
        )
    for pk, (occurrence_id, status, *_rest) in before.registrations.items():
        now_occurrence, now_status, *_ = after.registrations[pk]
        assert now_occurrence == occurrence_id, "une inscription a changé de date"
        if now_status != status:
            assert status in ACTIVE_STATUSES and now_status == S.CANCELLED, f"{status} devenue {now_status}"
            assert occurrence_id in cancelled_rows, "inscription annulée alors que sa date reste dans la série"

    # Each person of a moved or removed date is told once; nobody else.
    moved_rows = {occ.pk for occ in result.moved}
    expected = Counter()
    for occurrence_id, status, _at, _updated, email in before.registrations.values():
        if status in ACTIVE_STATUSES and occurrence_id in moved_rows:
            expected[(email, MOVED)] += 1
        if status in ACTIVE_STATUSES and occurrence_id in cancelled_rows:
            expected[(email, CANCELLED)] += 1
    sent = Counter((m.to[0], m.subject.split(" :")[0]) for m in mail.outbox)
    assert sent == expected, "personnes prévenues : pas exactement une fois chacune"

    # No two live dates at the same start; dates left by hand stay as they are.
    live = [row.start for row in after.rows.values() if row.status == OccurrenceStatus.SCHEDULED]
    assert len(live) == len(set(live)), "deux dates prévues au même moment"
    for pk in series.hand_cancelled:
        assert after.rows[pk].status == OccurrenceStatus.CANCELLED, "une date annulée à la main a rouvert"
    for pk, start in series.hand_moved.items():
        row = after.rows[pk]
        assert (row.start, row.status) == (start, OccurrenceStatus.SCHEDULED), "une date déplacée à la main a bougé"

    # The series is there: each date it wants is a live date, or its place is held by a date
    # the editor moved or cancelled by hand.
    starts = set(live)
    missing = [spec for spec in future_specs if spec.start not in starts]
    detached = [row for row in after.rows.values() if row.detached]
    assert len(missing) <= len(detached), "des dates de la série manquent"


def run_edits(agenda, capture, plan, steps):
    """Apply ``steps`` to a fresh series in a savepoint rolled back afterwards (each example
    starts from a clean database)."""
    savepoint = transaction.savepoint()
    try:
        series_ = Series(agenda, **plan)
        for step in [*steps, ("publish", 0, 0)]:
            series_.apply(step, capture)
        return series_
    finally:
        transaction.savepoint_rollback(savepoint)


@SETTINGS
@given(plan=series, steps=edits)
def test_any_sequence_of_edits_keeps_past_registrations_and_tells_each_person_once(
    agenda, django_capture_on_commit_callbacks, plan, steps
):
    run_edits(agenda, django_capture_on_commit_callbacks, plan, steps)


# ------------------------------------------------------------------------------------ controls

SHIFT_30 = [("shift", 30), ("publish", 10, 0)]
PLAN = {"repeat": "weekly", "day": 7, "hour": 9, "count": 6}


def test_the_fixed_sequence_passes_with_the_engine(agenda, django_capture_on_commit_callbacks):
    series_ = run_edits(agenda, django_capture_on_commit_callbacks, PLAN, SHIFT_30)
    assert series_.publishes == 2


def old_keying(rows, specs, *, exact_only=frozenset()):
    """Yesterday's engine: a date is its ``original_start``, so any change of time looks like a
    new date and every existing one like a removed date."""
    by_start = {spec.original_start: spec for spec in specs}
    pairs = [(row, by_start[row.original_start]) for row in rows if row.original_start in by_start]
    paired = {spec.original_start for _row, spec in pairs}
    return (
        pairs,
        [row for row in rows if row.original_start not in by_start],
        [spec for spec in specs if spec.original_start not in paired],
    )


def test_control_the_property_fails_with_the_old_keying(agenda, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(sync, "match_series", old_keying)
    with pytest.raises(AssertionError, match="encore dans la série mais a été annulée"):
        run_edits(agenda, django_capture_on_commit_callbacks, PLAN, SHIFT_30)


def test_control_the_property_fails_when_the_past_is_not_frozen(
    agenda, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(Occurrence, "has_started", lambda self, now=None: False)
    with pytest.raises(AssertionError, match="une date passée a changé"):
        run_edits(agenda, django_capture_on_commit_callbacks, PLAN, SHIFT_30)
