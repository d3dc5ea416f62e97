import icalendar
import pytest

from registrations import services
from registrations.ical import registration_calendar, registration_uid
from tests.factories import MemberFactory
from tests.factories.registrations import OccurrenceFactory

pytestmark = pytest.mark.django_db


def test_ics_has_own_uid_method_sequence_and_no_errors():
    occurrence = OccurrenceFactory(sequence=2, online_url="https://visio.exemple.fr/abc")
    registration = services.register(occurrence, user=MemberFactory())
    calendar = icalendar.Calendar.from_ical(registration_calendar(registration, method="CANCEL"))
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
    assert event["UID"] == registration_uid(registration) and str(registration.pk) in event["UID"]
    assert event["SEQUENCE"] == 2
    assert event.decoded("DTSTART") == occurrence.start
    assert "visio.exemple.fr" in event["DESCRIPTION"]
    assert not calendar.errors and not event.errors
    other = services.register(occurrence, user=MemberFactory())
    assert registration_uid(other) != registration_uid(registration)


def test_waiting_list_ics_is_tentative():
    occurrence = OccurrenceFactory(capacity=0)
    registration = services.register(occurrence, user=MemberFactory())
    calendar = icalendar.Calendar.from_ical(registration_calendar(registration, method="PUBLISH"))
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "PUBLISH" and event["STATUS"] == "TENTATIVE"
