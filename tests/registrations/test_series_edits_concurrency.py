"""Registrations during an edit of the page's dates (PostgreSQL, real threads, each with its own
connection): none is lost or duplicated. The edit holds the dates' row locks until it commits;
a registration for a moved date waits and lands on the moved row; one for a removed date is
either cancelled with it (and its person told) or refused. A control turns the locks off and
shows that the test then catches a registration left active on a removed date."""

import datetime
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from django.core import mail
from django.db import connections, transaction

import pytest

from base.french_dates import french_datetime
from events.services import materialise
from registrations import services, sync
from registrations.errors import RegistrationError
from registrations.models import Occurrence, OccurrenceStatus, Registration
from registrations.models import RegistrationStatus as S
from tests.factories import MemberFactory, OrganisationFactory
from tests.factories.events import EventIndexPageFactory, EventPageFactory, paris
from tests.utils import unlock_occurrences

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
PEOPLE = 12


@pytest.fixture(autouse=True)
def patient_locks(settings):
    # On a loaded machine the last waiter may wait longer than the default few seconds.
    settings.REGISTRATIONS_LOCK_TIMEOUT_MS = 20000


@pytest.fixture
def page(home_page):
    agenda = EventIndexPageFactory(parent=home_page)
    page = EventPageFactory(
        parent=agenda, start=paris(2030, 3, 5, 9, 30), end=paris(2030, 3, 5, 12), repeat="monthly_day", repeat_count=4
    )
    page.capacity = None
    materialise(page)
    return page


def people(count):
    organisation = OrganisationFactory()
    return [MemberFactory(organisation=organisation) for _ in range(count)]


def register_in_threads(pool, occurrence, persons):
    def run(person):
        try:
            return services.register(occurrence, user=person)
        except RegistrationError as error:
            return error
        finally:
            connections.close_all()

    return [pool.submit(run, person) for person in persons]


def edit_holding_the_lock(page, change, locked, release):
    """Publish ``change`` of the page's dates; keep the transaction (and the row locks) open
    until ``release`` is set."""
    try:
        with transaction.atomic():
            change(page)
            result = materialise(page)
            locked.set()
            release.wait(30)
        return result
    finally:
        connections.close_all()


def shift_30_minutes(page):
    page.start += datetime.timedelta(minutes=30)
    page.end += datetime.timedelta(minutes=30)


def test_registrations_during_a_move_land_once_on_the_moved_date(page):
    target = Occurrence.objects.filter(page=page).order_by("start")[1]  # 5 April 2030, 9:30
    early = people(3)
    for person in early:
        services.register(target, user=person)
    late = people(PEOPLE)
    mail.outbox.clear()
    locked, release = threading.Event(), threading.Event()
    with ThreadPoolExecutor(max_workers=PEOPLE + 1) as pool:
        edit = pool.submit(edit_holding_the_lock, page, shift_30_minutes, locked, release)
        assert locked.wait(30)
        waiting = register_in_threads(pool, target, late)
        time.sleep(1)
        assert not any(f.done() for f in waiting), "les inscriptions auraient dû attendre la fin de la modification"
        release.set()
        result = edit.result()
        outcomes = [f.result() for f in waiting]
    assert [r for r in outcomes if not isinstance(r, Registration)] == []
    moved = Occurrence.objects.get(pk=target.pk)
    assert [occ.pk for occ in result.moved] == [occ.pk for occ in Occurrence.objects.filter(page=page)]
    assert moved.start == paris(2030, 4, 5, 10) and moved.status == OccurrenceStatus.SCHEDULED
    rows = Registration.objects.filter(occurrence__page=page)
    assert rows.count() == len(early) + PEOPLE
    assert set(rows.values_list("occurrence_id", flat=True)) == {target.pk}
    assert Counter(rows.values_list("email", flat=True)) == Counter(p.email for p in early + late)
    assert set(rows.values_list("status", flat=True)) == {S.CONFIRMED}
    sent = Counter((m.to[0], m.subject.split(" :")[0]) for m in mail.outbox)
    # Registered before: told of the move once. During the edit: confirmed once, at the new time.
    expected = Counter({(p.email, "Changement d'horaire"): 1 for p in early})
    expected.update({(p.email, "Inscription confirmée"): 1 for p in late})
    assert sent == expected
    for message in mail.outbox:
        assert french_datetime(moved.start) in message.body


def add_exception(day):
    def change(page):
        page.exception_dates.add(page.exception_dates.model(date=day))

    return change


def race_a_removed_date(page, monkeypatch):
    """People register for a date while an edit removes it. Each registrant waits a little
    between the checks and the insert (as a slow request would), so that the edit starts while
    they are in the middle of registering."""
    target = Occurrence.objects.filter(page=page).order_by("start")[2]  # 5 May 2030
    services.register(target, user=people(1)[0])  # it has registrations: cancelled, not deleted
    persons = people(6)
    early, late = persons[:3], persons[3:]
    checked = threading.Semaphore(0)
    check_open = services._check_open

    def slow_check_open(*args, **kwargs):
        check_open(*args, **kwargs)
        checked.release()
        time.sleep(1.5)

    monkeypatch.setattr(services, "_check_open", slow_check_open)
    mail.outbox.clear()
    locked, release = threading.Event(), threading.Event()
    release.set()
    with ThreadPoolExecutor(max_workers=len(persons) + 1) as pool:
        registering = register_in_threads(pool, target, early)
        assert checked.acquire(timeout=30)  # the first registrant passed its checks
        edit = pool.submit(edit_holding_the_lock, page, add_exception(datetime.date(2030, 5, 5)), locked, release)
        time.sleep(0.5)  # the edit is under way (or waiting for the date's lock)
        registering += register_in_threads(pool, target, late)
        result = edit.result()
        outcomes = [f.result() for f in registering]
    assert [occ.pk for occ in result.cancelled] == [target.pk]
    return target, persons, outcomes


def check_nobody_lost(target, persons, outcomes):
    target.refresh_from_db()
    assert target.status == OccurrenceStatus.CANCELLED
    rows = Registration.objects.filter(occurrence=target)
    assert not rows.active().exists(), "inscription restée active sur une date retirée"
    assert Counter(rows.values_list("email", flat=True)).most_common(1)[0][1] == 1  # no duplicate
    told = Counter(m.to[0] for m in mail.outbox if m.subject.startswith("Date annulée"))
    for person, outcome in zip(persons, outcomes, strict=True):
        if isinstance(outcome, Registration):  # registered before the edit: cancelled with it, and told once
            assert rows.filter(email=person.email, status=S.CANCELLED).count() == 1
            assert told[person.email] == 1
        else:  # after it: refused, nothing recorded
            assert outcome.code == "cancelled"
            assert not rows.filter(email=person.email).exists()


def test_registrations_racing_a_removed_date_are_cancelled_and_told_or_refused(page, monkeypatch):
    target, persons, outcomes = race_a_removed_date(page, monkeypatch)
    check_nobody_lost(target, persons, outcomes)
    assert any(isinstance(o, Registration) for o in outcomes)  # the race happened on both sides
    assert any(isinstance(o, RegistrationError) for o in outcomes)


def test_control_without_the_locks_a_registration_stays_active_on_a_removed_date(page, monkeypatch):
    unlock_occurrences(monkeypatch)
    plan_sync = sync.plan_sync
    monkeypatch.setattr(
        sync,
        "plan_sync",
        lambda page, specs, *, kind, now=None, lock=False: plan_sync(page, specs, kind=kind, now=now, lock=False),
    )
    target, persons, outcomes = race_a_removed_date(page, monkeypatch)
    with pytest.raises(AssertionError, match="inscription restée active"):
        check_nobody_lost(target, persons, outcomes)
