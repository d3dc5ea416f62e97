"""Factories for attendance, time entries and the report: occurrences owned by any live page
(a StandardPage by default), their parts, registrations and attendance rows, created directly."""

import datetime
import zoneinfo
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from registrations.models import (
    Attendance,
    AttendanceStatus,
    Occurrence,
    OccurrenceStatus,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from registrations.schedule import sync_parts
from timesheets.models import Activity, TimeEntry

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(year, month, day, hour=9, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


class OccurrenceFactory(DjangoModelFactory):
    """An occurrence with its default parts (half-days for a full day, else one session)."""

    class Meta:
        model = Occurrence
        skip_postgeneration_save = True

    page = None  # pass a live page (e.g. StandardPageFactory(parent=home_page))
    kind = "thematic"
    start = factory.LazyFunction(lambda: paris(2025, 3, 11, 9, 30))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=3))
    original_start = factory.LazyAttribute(lambda o: o.start)
    status = OccurrenceStatus.SCHEDULED
    capacity = 30

    @factory.post_generation
    def parts(self, create, extracted, **kwargs):
        if create:
            sync_parts(self)


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    occurrence = None
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Inscrite{n}")
    email = factory.Sequence(lambda n: f"inscrit{n}@exemple.fr")
    status = RegistrationStatus.CONFIRMED
    source = RegistrationSource.SELF
    organisation = None
    organisation_name = factory.LazyAttribute(lambda o: o.organisation.name if o.organisation else "")


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    registration = None
    part = None
    status = AttendanceStatus.PRESENT


class TimeEntryFactory(DjangoModelFactory):
    class Meta:
        model = TimeEntry

    person = None
    date = datetime.date(2025, 6, 2)
    hours = Decimal("3.5")
    activity = Activity.HELPDESK
