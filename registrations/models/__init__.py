"""The registration engine: occurrences, their parts, registrations, history and attendance.

It knows no page type: an occurrence points at the Wagtail page that owns it (an event, a
training run…), so calendars, feeds and reports read occurrences of every kind.
"""

from .applications import CompanyReview, SubmittedCompany
from .attendance import Attendance, AttendanceStatus
from .occurrences import (
    Occurrence,
    OccurrencePart,
    OccurrenceQuerySet,
    OccurrenceStatus,
    PartKind,
    ScheduleNote,
)
from .registrations import (
    Registration,
    RegistrationChange,
    RegistrationQuerySet,
    RegistrationSource,
    RegistrationStatus,
)

__all__ = [
    "Attendance",
    "AttendanceStatus",
    "CompanyReview",
    "Occurrence",
    "OccurrencePart",
    "OccurrenceQuerySet",
    "OccurrenceStatus",
    "PartKind",
    "Registration",
    "RegistrationChange",
    "RegistrationQuerySet",
    "RegistrationSource",
    "RegistrationStatus",
    "ScheduleNote",
    "SubmittedCompany",
]
