"""The same answers posted several times at once (a double tap, two tabs) on PostgreSQL with real
threads: the submissions wait for each other on the registration's row, so there is one
response and every submission succeeds (the later ones update it). A control removes the lock
and shows the test sees the race: the unique constraint then refuses some with « conflict »."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.db import connections

import pytest
import time_machine

from evaluations import services
from evaluations.models import Answer, Response
from registrations.models import Registration
from tests.factories.attendance import paris
from tests.factories.evaluations import RATING, TEXT, SurveyFactory
from tests.utils import restore_migration_data

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
TABS = 6


@pytest.fixture(autouse=True)
def migration_data():
    restore_migration_data()  # transaction=True flushes the tables after each test


@pytest.fixture
def slow_reading(monkeypatch):
    """Widen the window between looking for the response and creating it."""
    lock = services._lock_registration

    def slow(registration):
        lock(registration)
        time.sleep(0.2)

    monkeypatch.setattr(services, "_lock_registration", slow)


def post_at_once(survey, registration):
    def post(index):
        try:
            return services.submit(
                survey, registration, {"q-" + RATING: str(index % 5 + 1), "q-" + TEXT: f"onglet {index}"}
            )
        except services.EvaluationError as error:
            return error.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=TABS) as pool:
        return list(pool.map(post, range(TABS)))


@time_machine.travel(paris(2025, 5, 13, 18), tick=False)
def test_simultaneous_submissions_keep_one_response(run, slow_reading):
    survey = SurveyFactory(occurrence=run["occurrence"])
    results = post_at_once(survey, run["anne"])
    assert all(isinstance(result, tuple) for result in results), results  # no error
    assert sorted(created for _response, created in results) == [False] * (TABS - 1) + [True]
    assert Response.objects.count() == 1
    assert Answer.objects.filter(question_id=RATING).count() == 1  # one answer set, not one per tab
    assert Answer.objects.filter(question_id=TEXT).count() == 1


@time_machine.travel(paris(2025, 5, 13, 18), tick=False)
def test_control_without_the_lock_the_race_shows(run, monkeypatch):
    survey = SurveyFactory(occurrence=run["occurrence"])
    start = threading.Barrier(TABS, timeout=30)

    def no_lock(registration):
        # Open each tab's connection first, then release them together: a loaded machine that
        # starts the threads slowly must not let one tab finish before the others look.
        Registration.objects.filter(pk=registration.pk).exists()
        start.wait()

    monkeypatch.setattr(services, "_lock_registration", no_lock)
    for _attempt in range(3):  # the scheduler may still serialise the tabs once by chance
        Response.objects.all().delete()
        results = post_at_once(survey, run["anne"])
        assert Response.objects.count() == 1  # the unique constraint holds anyway: a clean 409, nothing doubled
        if "conflict" in results:
            break
    assert "conflict" in results, "sans verrou, des envois simultanés devraient se heurter : le test ne prouverait rien"
