"""The rows behind every figure of the activity report, as querysets.

``reports.figures`` aggregates them; the drill-down view lists them. Both read the same
definitions (DESIGN.md, « Report definitions »), so a figure and its list always agree.

"""

from django.db.models import Q
from django.utils import timezone

from helpdesk.models import Question
from members.models import Organisation
from registrations.kinds import application_kinds
from registrations.models import Attendance, Occurrence, OccurrenceStatus, Registration, RegistrationStatus
from registrations.models.attendance import ATTENDED_STATUSES, attended_exists
from resources.models import ResourcePage
from timesheets.models import TimeEntry
from workinggroups.models import WorkingGroupPage

TRAINING_KIND = "training"
APPLICATION_STATUSES = [RegistrationStatus.APPLIED, RegistrationStatus.SELECTED, RegistrationStatus.DECLINED]


def held_occurrences(period, now=None):
    """Held = not cancelled, starting in the period and ended by ``now`` (dates still to come
    are planned, not held)."""
    return scheduled_in(period).filter(end__lt=now or timezone.now())


def planned_occurrences(period, now=None):
    """Not cancelled, starting in the period and not ended by ``now``: shown apart from held."""
    return scheduled_in(period).filter(end__gte=now or timezone.now())


def scheduled_in(period):
    return Occurrence.objects.filter(
        status=OccurrenceStatus.SCHEDULED, start__gte=period.start_at, start__lt=period.end_before
    )


def held_registrations(period, now=None):
    """Confirmed registrations for held occurrences."""
    return Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED, occurrence__in=held_occurrences(period, now).values("pk")
    )


def confirmed_registrations(period, now=None):
    """Confirmed registrations for held occurrences, each annotated with ``attended``
    (present or late at least once)."""
    return held_registrations(period, now).annotate(attended=attended_exists())


def attended_registrations(period, now=None):
    """Confirmed registrations for held occurrences, present or late at least once (the
    condition is a semi-join evaluated once per row, cheaper than an annotation aggregated
    several times)."""
    return held_registrations(period, now).filter(attended_exists())


def no_show_q(now=None):
    """A no-show: confirmed for an occurrence that has ended, attended no part of it."""
    return Q(attended=False, occurrence__end__lt=now or timezone.now())


def member_organisations(period):
    return Organisation.objects.members_during(period.start, period.end)


def reached_organisations(period, now=None):
    """Member organisations (during the period) with at least one participant present."""
    present = attended_registrations(period, now)
    return member_organisations(period).filter(pk__in=present.values("organisation"))


def training_attendance(period, now=None):
    """Attended parts of held training runs (person-hours delivered)."""
    return Attendance.objects.filter(
        status__in=ATTENDED_STATUSES,
        registration__status=RegistrationStatus.CONFIRMED,
        part__occurrence__in=held_occurrences(period, now).filter(kind=TRAINING_KIND),
    )


def supplier_applications(period, now=None):
    return Registration.objects.filter(
        status__in=APPLICATION_STATUSES,
        occurrence__in=held_occurrences(period, now).filter(kind__in=application_kinds()),
    )


def working_group_meetings(period, now=None):
    """Held meetings of working groups: occurrences of event pages linked to a group."""
    return held_occurrences(period, now).filter(page__eventpage__working_group__isnull=False)


def active_working_groups(period, now=None):
    """Live groups with a period of activity overlapping the report's years, or a meeting held."""
    covering = Q(periods__start_year__lte=period.end.year) & (
        Q(periods__end_year__isnull=True) | Q(periods__end_year__gte=period.start.year)
    )
    ids = WorkingGroupPage.objects.filter(covering).values("pk")
    meetings = working_group_meetings(period, now).values("page__eventpage__working_group")
    return WorkingGroupPage.objects.live().filter(Q(pk__in=ids) | Q(pk__in=meetings))


def published_resources(period):
    return ResourcePage.objects.live().filter(
        first_published_at__gte=period.start_at, first_published_at__lt=period.end_before
    )


def answered_questions(period):
    return Question.objects.filter(answered_at__gte=period.start_at, answered_at__lt=period.end_before)


def time_entries(period):
    return TimeEntry.objects.between(period.start, period.end)
