"""French dates for the agenda ("mardi 3 mars 2026, 9 h 30 – 12 h") and the registration link."""

import datetime

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from events.models import kind_label as _kind_label
from events.schedule import local_zone

register = template.Library()


def french_time(value):
    """9 h 30, 12 h."""
    return f"{value.hour} h {value.minute:02d}" if value.minute else f"{value.hour} h"


def french_date(value):
    """mardi 3 mars 2026 (1er for the first day of the month)."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{formats.date_format(value, 'l')} {day} {formats.date_format(value, 'F Y')}"


@register.filter
def french_span(occurrence):
    """The French wording of an occurrence's (or any object with start, end, all_day) dates."""
    zone = local_zone()
    start = timezone.localtime(occurrence.start, zone)
    end = timezone.localtime(occurrence.end, zone)
    if getattr(occurrence, "all_day", False):
        last = end.date()
        if end.time() == datetime.time(0) and last > start.date():
            last -= datetime.timedelta(days=1)
        if last == start.date():
            return french_date(start.date())
        return _("du %(start)s au %(end)s") % {"start": french_date(start.date()), "end": french_date(last)}
    if start.date() == end.date():
        return f"{french_date(start.date())}, {french_time(start)} – {french_time(end)}"
    return _("du %(start)s, %(start_time)s, au %(end)s, %(end_time)s") % {
        "start": french_date(start.date()),
        "start_time": french_time(start),
        "end": french_date(end.date()),
        "end_time": french_time(end),
    }


@register.filter
def french_day(value):
    return french_date(
        timezone.localtime(value, local_zone()).date() if isinstance(value, datetime.datetime) else value
    )


@register.filter
def french_hour(value):
    return french_time(timezone.localtime(value, local_zone()))


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
    """The registration link of an occurrence ("apply" for a market-engagement meeting); falls back
    to a plain path while the registration views are not installed."""
    name = "registrations:apply" if occurrence.kind == "market_engagement" else "registrations:register"
    try:
        return reverse(name, kwargs={"occurrence_id": occurrence.pk})
    except NoReverseMatch:
        return f"/inscriptions/{occurrence.pk}/"
