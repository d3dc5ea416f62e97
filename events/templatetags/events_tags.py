"""French dates for the agenda ("mardi 3 mars 2026, 9 h 30 – 12 h") and the registration link."""

from urllib.parse import quote, urlencode

from django import template
from django.urls import reverse
from django.utils import timezone

from base.french_dates import french_date, french_span, french_time  # noqa: F401
from base.templatetags.french_dates import french_day, french_hour
from events.ical import public_url
from registrations.kinds import by_application
from registrations.kinds import kind_label as registry_kind_label

register = template.Library()


# The French wording lives in home (every app writes dates this way); the agenda's templates
# keep loading it from here.
register.filter("french_span", french_span)
register.filter("french_day", french_day)
register.filter("french_hour", french_hour)


@register.filter
def kind_label(kind):
    return registry_kind_label(kind)


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


@register.inclusion_tag("events/includes/calendar_links.html")
def calendar_links(feed_path, name, *, subscribe=True, download=True, label="", expanded=False):
    """« Ajouter à mon calendrier » (the .ics itself) and « S'abonner »: webcal://, Google Agenda,
    Outlook.com and Microsoft 365 subscription links with short instructions. ``subscribe`` is
    off where a calendar server could not read the feed (a page restricted to logged-in people)."""
    url = public_url(feed_path)
    webcal = "webcal://" + url.split("://", 1)[-1]
    return {
        "feed_path": feed_path,
        "feed_url": url,
        "name": name,
        "label": label,
        "download": download,
        "subscribe": subscribe,
        "expanded": expanded,
        "webcal_url": webcal,
        "google_url": "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
        "outlook_url": "https://outlook.live.com/calendar/0/addfromweb?" + urlencode({"url": url, "name": name}),
        "office_url": "https://outlook.office.com/calendar/0/addfromweb?" + urlencode({"url": url, "name": name}),
    }
