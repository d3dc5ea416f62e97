"""French dates for the agenda ("mardi 3 mars 2026, 9 h 30 – 12 h") and the registration link."""

from django import template
from django.urls import reverse
from django.utils import timezone

from base.french_dates import french_date, french_span, french_time  # noqa: F401
from base.templatetags.french_dates import french_day, french_hour
from events.models import kind_label as _kind_label
from registrations.kinds import by_application

register = template.Library()


# The French wording lives in home (every app writes dates this way); the agenda's templates
# keep loading it from here.
register.filter("french_span", french_span)
register.filter("french_day", french_day)
register.filter("french_hour", french_hour)


@register.filter
def kind_label(kind):
    return _kind_label(kind)


@register.filter
def seats_left(occurrence):
    """Seats left from the annotated counts (OccurrenceQuerySet.with_seat_counts); None = unlimited."""
    if occurrence.capacity is None:
        return None
    taken = (getattr(occurrence, "confirmed_count", 0) or 0) + (getattr(occurrence, "held_count", 0) or 0)
    return max(occurrence.capacity - taken, 0)


@register.filter
def registration_state(occurrence):
    """ "not_yet", "closed" or "open", from the occurrence's registration window and start."""
    now = timezone.now()
    if occurrence.registration_opens_at and occurrence.registration_opens_at > now:
        return "not_yet"
    if (occurrence.registration_closes_at and occurrence.registration_closes_at < now) or occurrence.start < now:
        return "closed"
    return "open"


@register.simple_tag
def registration_url(occurrence):
    """The registration link of an occurrence (« apply » when people apply for it)."""
    name = "registrations:apply" if by_application(occurrence) else "registrations:register"
    return reverse(name, kwargs={"occurrence_id": occurrence.pk})


@register.filter(name="by_application")
def by_application_filter(occurrence):
    return by_application(occurrence)
