"""Capacity holds under concurrency (PostgreSQL): real threads, each with its own connection,
through a bounded pool (PostgreSQL allows 100 connections). A control turns the lock off and
shows the test catches the overbooking, so it can fail."""

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from django.core import mail
from django.db import connections

import pytest

from registrations import services
from registrations.errors import RegistrationError
from registrations.models import Registration
from registrations.models import RegistrationStatus as S
from registrations.models.registrations import RegistrationQuerySet
from tests.factories import MemberFactory, OrganisationFactory
from tests.factories.registrations import OccurrenceFactory
from tests.utils import restore_migration_data, unlock_occurrences

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
POOL = 40  # with the other xdist worker and the tests' own connections, well under 100


@pytest.fixture(autouse=True)
def postgresql_only(settings):
    # These tests prove capacity and order; on a loaded shared machine the last of 50 waiters
    # may wait longer than the default few seconds (the "busy" answer is tested on its own below).
    settings.REGISTRATIONS_LOCK_TIMEOUT_MS = 20000
    restore_migration_data()  # transaction=True flushes the tables after each test


def in_threads(function, items):
    """Run ``function(item)`` in a bounded pool; each thread closes its connection at the end."""

    def run(item):
        try:
            return function(item)
        except RegistrationError as error:
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=POOL) as pool:
        return list(pool.map(run, items))


def race(people, occurrence):
    return in_threads(lambda person: services.register(occurrence, user=person), people)


def make_people(count):
    organisation = OrganisationFactory()
    return [MemberFactory(organisation=organisation) for _ in range(count)]


def test_200_members_for_50_seats():
    occurrence = OccurrenceFactory(capacity=50)
    results = race(make_people(200), occurrence)
    assert not [r for r in results if not isinstance(r, Registration)]
    rows = Registration.objects.filter(occurrence=occurrence)
    assert Counter(rows.values_list("status", flat=True)) == {S.CONFIRMED: 50, S.WAITLISTED: 150}
    assert rows.values("email").distinct().count() == 200
    positions = services.waitlist_positions(list(rows))
    assert sorted(positions.values()) == list(range(1, 151))


def test_50_cancellations_promote_50_in_order_each_told_once():
    occurrence = OccurrenceFactory(capacity=50)
    people = make_people(150)
    for person in people:  # sequential set-up: 50 confirmed, 100 waiting in a known order
        services.register(occurrence, user=person)
    waiting = list(Registration.objects.filter(occurrence=occurrence).waitlisted().values_list("pk", flat=True))
    confirmed = list(Registration.objects.filter(occurrence=occurrence, status=S.CONFIRMED))
    mail.outbox.clear()
    results = in_threads(services.cancel, confirmed)
    assert not [r for r in results if not isinstance(r, Registration)]
    promoted = Registration.objects.filter(pk__in=waiting, status=S.CONFIRMED)
    assert set(promoted.values_list("pk", flat=True)) == set(waiting[:50])  # the first 50, in order
    assert Registration.objects.filter(occurrence=occurrence, status=S.CONFIRMED).count() == 50
    remaining = list(Registration.objects.filter(occurrence=occurrence).waitlisted())
    assert [r.pk for r in remaining] == waiting[50:]
    assert sorted(services.waitlist_positions(remaining).values()) == list(range(1, 51))
    told = Counter(m.to[0] for m in mail.outbox if m.subject.startswith("Une place s'est libérée"))
    assert len(told) == 50 and set(told.values()) == {1}
    assert set(told) == set(promoted.values_list("email", flat=True))


def test_control_without_the_lock_the_test_detects_overbooking(monkeypatch):
    unlock_occurrences(monkeypatch)
    occurrence = OccurrenceFactory(capacity=50)
    race(make_people(200), occurrence)
    confirmed = Registration.objects.filter(occurrence=occurrence, status=S.CONFIRMED).count()
    assert confirmed > 50, "sans verrou, la course devrait sur-réserver : le test ne prouverait rien"


def test_control_without_the_locks_promotions_go_wrong(monkeypatch):
    """The promotion race's control: without the occurrence lock and the waiting list's row locks,
    cancellations at the same moment promote the same first waiter, and seats stay empty."""
    unlock_occurrences(monkeypatch)
    monkeypatch.setattr(RegistrationQuerySet, "select_for_update", lambda self, *args, **kwargs: self)
    count_seats = services.seats_left

    def slow_seats_left(occurrence):
        free = count_seats(occurrence)
        time.sleep(0.05)  # the window a loaded server leaves between counting and promoting
        return free

    monkeypatch.setattr(services, "seats_left", slow_seats_left)
    occurrence = OccurrenceFactory(capacity=20)
    for person in make_people(60):
        services.register(occurrence, user=person)
    waiting = list(Registration.objects.filter(occurrence=occurrence).waitlisted().values_list("pk", flat=True))
    in_threads(services.cancel, list(Registration.objects.filter(occurrence=occurrence, status=S.CONFIRMED)))
    promoted = set(Registration.objects.filter(pk__in=waiting, status=S.CONFIRMED).values_list("pk", flat=True))
    assert promoted != set(waiting[:20]), (
        "sans verrous, les promotions devraient se tromper : le test ne prouverait rien"
    )


def test_lock_not_obtained_in_time_answers_busy(settings):
    from threading import Event, Thread

    from django.db import transaction

    settings.REGISTRATIONS_LOCK_TIMEOUT_MS = 200
    occurrence = OccurrenceFactory(capacity=5)
    person = MemberFactory()
    locked, release = Event(), Event()

    def hold_lock():
        with transaction.atomic():
            services.lock_occurrence(occurrence.pk)
            locked.set()
            release.wait(5)
        connections.close_all()

    holder = Thread(target=hold_lock)
    holder.start()
    locked.wait(5)
    try:
        with pytest.raises(RegistrationError) as info:
            services.register(occurrence, user=person)
    finally:
        release.set()
        holder.join()
    assert info.value.code == "busy"
    assert not Registration.objects.filter(occurrence=occurrence).exists()
    assert services.register(occurrence, user=person).status == S.CONFIRMED


def test_double_clicks_from_one_person_give_one_registration():
    occurrence = OccurrenceFactory(capacity=5)
    person = MemberFactory()
    results = in_threads(lambda _: services.register(occurrence, user=person), range(20))
    assert sum(isinstance(r, Registration) for r in results) == 1
    assert {r.code for r in results if isinstance(r, RegistrationError)} == {"already_registered"}
    assert Registration.objects.filter(occurrence=occurrence).count() == 1
