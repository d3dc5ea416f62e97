"""The rows behind every figure of the activity report, as querysets.

``reports.figures`` aggregates them; the drill-down view lists them. Both read the same
definitions (DESIGN.md, « Report definitions »), so a figure and its list always agree.

Models of other apps (events, resources, helpdesk) are looked up by name: a figure whose
model has not landed yet is reported as unavailable rather than failing.
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import timezone

from members.models import Organisation
from registrations.models import Attendance, Occurrence, OccurrenceStatus, Registration, RegistrationStatus
from registrations.models.attendance import ATTENDED_STATUSES, attended_exists
from timesheets.models import TimeEntry
from workinggroups.models import WorkingGroupPage

TRAINING_KIND = "training"
WORKING_GROUP_MEETING_KIND = "working_group_meeting"
MARKET_ENGAGEMENT_KIND = "market_engagement"
APPLICATION_STATUSES = [RegistrationStatus.APPLIED, RegistrationStatus.SELECTED, RegistrationStatus.DECLINED]


def model_with_field(app_label, model_name, field):
    """The model ``app_label.model_name`` if it exists and has ``field``, else None."""
    try:
        model = apps.get_model(app_label, model_name)
        model._meta.get_field(field)
    except (LookupError, FieldDoesNotExist):
        return None
    return model


def event_page_model():
    return model_with_field("events", "EventPage", "working_group")


def held_occurrences(period):
    """Held = not cancelled and starting in the period."""
    return Occurrence.objects.filter(
        status=OccurrenceStatus.SCHEDULED, start__gte=period.start_at, start__lt=period.end_before
    )


def held_registrations(period):
    """Confirmed registrations for held occurrences."""
    return Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        occurrence__status=OccurrenceStatus.SCHEDULED,
        occurrence__start__gte=period.start_at,
        occurrence__start__lt=period.end_before,
    )


def confirmed_registrations(period):
    """Confirmed registrations for held occurrences, each annotated with ``attended``
    (present or late at least once)."""
    return held_registrations(period).annotate(attended=attended_exists())


def attended_registrations(period):
    """Confirmed registrations for held occurrences, present or late at least once (the
    condition is a semi-join evaluated once per row, cheaper than an annotation aggregated
    several times)."""
    return held_registrations(period).filter(attended_exists())


def no_show_q(now=None):
    """A no-show: confirmed for an occurrence that has ended, attended no part of it."""
    return Q(attended=False, occurrence__end__lt=now or timezone.now())


def member_organisations(period):
    return Organisation.objects.members_during(period.start, period.end)


def reached_organisations(period):
    """Member organisations (during the period) with at least one participant present."""
    present = attended_registrations(period)
    return member_organisations(period).filter(pk__in=present.values("organisation"))


def training_attendance(period):
    """Attended parts of held training runs (person-hours delivered)."""
    return Attendance.objects.filter(
        status__in=ATTENDED_STATUSES,
        registration__status=RegistrationStatus.CONFIRMED,
        part__occurrence__in=held_occurrences(period).filter(kind=TRAINING_KIND),
    )


def supplier_applications(period):
    return Registration.objects.filter(
        status__in=APPLICATION_STATUSES,
        occurrence__in=held_occurrences(period).filter(kind=MARKET_ENGAGEMENT_KIND),
    )


def working_group_meetings(period):
    """Held meetings of working groups: occurrences of event pages linked to a group."""
    if event_page_model() is None:
        return held_occurrences(period).filter(kind=WORKING_GROUP_MEETING_KIND)
    return held_occurrences(period).filter(page__eventpage__working_group__isnull=False)


def active_working_groups(period):
    """Live groups with a period of activity overlapping the report's years, or a meeting held."""
    covering = Q(periods__start_year__lte=period.end.year) & (
        Q(periods__end_year__isnull=True) | Q(periods__end_year__gte=period.start.year)
    )
    ids = WorkingGroupPage.objects.filter(covering).values("pk")
    condition = Q(pk__in=ids)
    if event_page_model() is not None:
        condition |= Q(pk__in=working_group_meetings(period).values("page__eventpage__working_group"))
    return WorkingGroupPage.objects.live().filter(condition)


def resource_models():
    """Concrete resource page models (they share an abstract base with a ``resource_type``)."""
    from wagtail.models import Page

    try:
        config = apps.get_app_config("resources")
    except LookupError:
        return []
    found = []
    for model in config.get_models():
        if issubclass(model, Page) and not model._meta.abstract:
            try:
                field = model._meta.get_field("resource_type")
            except FieldDoesNotExist:
                continue
            # With multi-table inheritance, count each page once: on the model holding the column.
            if field.model is model or field.model._meta.abstract:
                found.append(model)
    return found


def published_resources(model, period):
    return model.objects.live().filter(
        first_published_at__gte=period.start_at, first_published_at__lt=period.end_before
    )


def question_model():
    return model_with_field("helpdesk", "Question", "answered_at")


def answered_questions(period):
    model = question_model()
    if model is None:
        return None
    return model.objects.filter(answered_at__gte=period.start_at, answered_at__lt=period.end_before)


def time_entries(period):
    return TimeEntry.objects.between(period.start, period.end)
