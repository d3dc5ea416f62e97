"""A WSGI entry for one test only, the two-process race's control: the application with the
engine's row lock removed and a slower seat count, so the test shows it would see an overbooking.
Started by gunicorn from the repository root with ``--pythonpath site``."""

import time

import pytest
from wsgi import application  # noqa: F401 (the entry gunicorn serves)

from registrations import services
from tests.utils import unlock_occurrences

patch = pytest.MonkeyPatch()
unlock_occurrences(patch)
count_seats = services.seats_left


def slow_seats_left(occurrence):
    free = count_seats(occurrence)
    time.sleep(0.3)  # a window wide enough that the four workers count the same seats at once
    return free


patch.setattr(services, "seats_left", slow_seats_left)
