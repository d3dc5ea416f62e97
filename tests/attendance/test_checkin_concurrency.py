"""Two phones scanning one person's code at the same moment (PostgreSQL, real threads): one scan
records the presence, the others answer « déjà enregistré ». A control removes the lock and shows
the test sees the race (every phone claims to have checked the person in)."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.db import connections

import pytest
import time_machine

from attendance import services
from registrations.models import Attendance
from tests.factories.attendance import paris
from tests.utils import restore_migration_data

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
PHONES = 6


@pytest.fixture(autouse=True)
def migration_data():
    restore_migration_data()  # transaction=True flushes the tables after each test


@pytest.fixture
def slow_recording(monkeypatch):
    """Widen the window between reading and writing the presence, as a loaded server would."""
    record = services.record_attendance

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return record(*args, **kwargs)

    monkeypatch.setattr(services, "record_attendance", slow)


def scan_at_once(token, actor):
    def scan(_):
        try:
            return services.check_in(token, actor=actor)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=PHONES) as pool:
        return list(pool.map(scan, range(PHONES)))


@time_machine.travel(paris(2025, 5, 20, 10), tick=False)
def test_simultaneous_scans_record_one_presence(training, editor, slow_recording):
    results = scan_at_once(services.checkin_token(training["sophie"]), editor)
    assert sorted(result.already for result in results) == [False] + [True] * (PHONES - 1)
    assert Attendance.objects.filter(registration=training["sophie"]).count() == 1


@time_machine.travel(paris(2025, 5, 20, 10), tick=False)
def test_control_without_the_lock_every_phone_claims_the_check_in(training, editor, slow_recording, monkeypatch):
    together = threading.Barrier(PHONES, timeout=30)  # every phone reads before any writes, however slow the start
    monkeypatch.setattr(services, "_lock_scans_of", lambda registration: together.wait())
    results = scan_at_once(services.checkin_token(training["sophie"]), editor)
    firsts = [result for result in results if not result.already]
    assert len(firsts) > 1, "sans verrou, plusieurs scans devraient se croire premiers : le test ne prouverait rien"
    assert Attendance.objects.filter(registration=training["sophie"]).count() == 1  # the row is unique anyway
