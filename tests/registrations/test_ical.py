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
    assert event["SEQUENCE"] == 2 + 1  # the occurrence's, plus the registration's one change
    assert str(event["ORGANIZER"]) == "mailto:contact@reseco.fr"
    assert event.decoded("DTSTART") == occurrence.start
    assert "visio.exemple.fr" in event["DESCRIPTION"]
    assert not calendar.errors and not event.errors
    other = services.register(occurrence, user=MemberFactory())
    assert registration_uid(other) != registration_uid(registration)


def test_waiting_list_ics_is_tentative_without_the_online_link():
    occurrence = OccurrenceFactory(capacity=0, online_url="https://visio.exemple.fr/abc")
    registration = services.register(occurrence, user=MemberFactory())
    calendar = icalendar.Calendar.from_ical(registration_calendar(registration, method="PUBLISH"))
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "PUBLISH" and event["STATUS"] == "TENTATIVE"
    assert "visio.exemple.fr" not in calendar.to_ical().decode().replace("\r\n ", "")


def sequence_of(registration, method):
    registration.refresh_from_db()
    (event,) = icalendar.Calendar.from_ical(registration_calendar(registration, method=method)).walk("VEVENT")
    return event["SEQUENCE"]


def test_each_state_sent_carries_a_higher_sequence():
    """Confirmation, self-cancellation, re-confirmation: a calendar applies an update only when
    its SEQUENCE is higher than the last one it saw for that UID."""
    occurrence = OccurrenceFactory(sequence=1)
    registration = services.register(occurrence, user=MemberFactory())
    sent = [sequence_of(registration, "REQUEST")]
    services.cancel(registration)
    sent.append(sequence_of(registration, "CANCEL"))
    services.confirm(registration)
    sent.append(sequence_of(registration, "REQUEST"))
    type(occurrence).objects.filter(pk=occurrence.pk).update(sequence=2)  # the date moved
    sent.append(sequence_of(registration, "REQUEST"))
    assert sent == sorted(set(sent)), sent
