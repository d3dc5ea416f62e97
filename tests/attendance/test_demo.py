import io

import pytest

from attendance import demo as attendance_demo
from registrations.models import Attendance
from tests.factories import EditorFactory
from timesheets import demo as timesheets_demo
from timesheets.models import TimeEntry

pytestmark = pytest.mark.django_db


class Demo:
    def __init__(self):
        self.out = io.StringIO()

    def step(self, message):
        self.out.write(message + "\n")


def test_attendance_demo_fills_past_sheets_once(training):
    attendance_demo.load(Demo())
    # Two confirmed people × four half-days; the waitlisted person gets nothing.
    assert Attendance.objects.count() == 8
    assert not Attendance.objects.filter(registration=training["waiting"]).exists()
    statuses = list(Attendance.objects.order_by("pk").values_list("registration_id", "part_id", "status"))
    attendance_demo.load(Demo())
    assert list(Attendance.objects.order_by("pk").values_list("registration_id", "part_id", "status")) == statuses


def test_timesheets_demo_logs_a_year_once(db):
    EditorFactory(email="editeur@reseco.fr")
    timesheets_demo.load(Demo())
    count = TimeEntry.objects.count()
    assert count > 400  # about 250 working days, two or three entries each
    timesheets_demo.load(Demo())
    assert TimeEntry.objects.count() == count
    assert not TimeEntry.objects.filter(hours__gt=12).exists()
