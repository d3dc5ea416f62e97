"""The single-occurrence .ics attached to e-mails about a registration.

Its UID is the registration's own (not the series UID of the public feeds), so a calendar that
holds both never merges them; a cancellation or a move is re-sent with a higher SEQUENCE.
"""

from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone

import icalendar

PRODID = "-//RESECO//Inscriptions//FR"


def registration_uid(registration):
    host = urlparse(getattr(settings, "WAGTAILADMIN_BASE_URL", "")).hostname or "reseco.fr"
    return f"inscription-{registration.pk}-occurrence-{registration.occurrence_id}@{host}"


def registration_calendar(registration, *, method="REQUEST"):
    """An iCalendar document (bytes) for the registration's occurrence.

    ``method``: "REQUEST" (confirmed, moved), "CANCEL" (cancelled) or "PUBLISH" (for information)."""
    occurrence = registration.occurrence
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", registration_uid(registration))
    event.add("sequence", occurrence.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", occurrence.start)
    event.add("dtend", occurrence.end)
    event.add("summary", occurrence.page.title)
    description = [occurrence.status_reason] if occurrence.status_reason else []
    if occurrence.online_url:
        # Only registered people receive these e-mails: the online link may go in.
        description.append(f"Lien de connexion : {occurrence.online_url}")
        event.add("url", occurrence.online_url)
    if description:
        event.add("description", "\n".join(description))
    if occurrence.location:
        event.add("location", occurrence.location)
    cancelled = method == "CANCEL" or occurrence.is_cancelled
    tentative = not cancelled and registration.status == "waitlisted"  # on the waiting list: no seat yet
    event.add("status", "CANCELLED" if cancelled else "TENTATIVE" if tentative else "CONFIRMED")
    organiser = icalendar.vCalAddress("mailto:" + _from_address())
    organiser.params["cn"] = icalendar.vText("RESECO")
    event.add("organizer", organiser)
    attendee = icalendar.vCalAddress(f"mailto:{registration.email}")
    attendee.params["cn"] = icalendar.vText(registration.full_name or registration.email)
    attendee.params["partstat"] = icalendar.vText("DECLINED" if cancelled else "TENTATIVE" if tentative else "ACCEPTED")
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()


def _from_address():
    value = getattr(settings, "DEFAULT_FROM_EMAIL", "contact@reseco.fr")
    return value.split("<")[-1].rstrip(">").strip()
