"""The single-occurrence .ics attached to e-mails about a registration.

Its UID is the registration's own (not the series UID of the public feeds), so a calendar that
holds both never merges them; a cancellation or a move is re-sent with a higher SEQUENCE.
"""

from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone

import icalendar

from .models import RegistrationStatus

PRODID = "-//RESECO//Inscriptions//FR"
# Statuses that give the online link and a CONFIRMED calendar entry.
SEATED = (RegistrationStatus.CONFIRMED, RegistrationStatus.SELECTED)


def registration_uid(registration):
    host = urlparse(getattr(settings, "WAGTAILADMIN_BASE_URL", "")).hostname or "reseco.fr"
    return f"inscription-{registration.pk}-occurrence-{registration.occurrence_id}@{host}"


def registration_sequence(registration):
    """Each state sent to a person carries a strictly higher SEQUENCE than the one before: the
    occurrence's own (moves) plus the registration's status changes so far (cancelling, then
    registering again or being confirmed, each adds one)."""
    changes = getattr(registration, "change_count", None)  # read with the registration by the e-mail task
    return registration.occurrence.sequence + (registration.changes.count() if changes is None else changes)


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
    event.add("sequence", registration_sequence(registration))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", occurrence.start)
    event.add("dtend", occurrence.end)
    event.add("summary", occurrence.page.title)
    description = [occurrence.status_reason] if occurrence.status_reason else []
    if occurrence.online_url and registration.status in SEATED:
        # Only people holding a seat get the online link (not the waiting list).
        description.append(f"Lien de connexion : {occurrence.online_url}")
        event.add("url", occurrence.online_url)
    if description:
        event.add("description", "\n".join(description))
    if occurrence.location:
        event.add("location", occurrence.location)
    cancelled = method == "CANCEL" or occurrence.is_cancelled
    tentative = not cancelled and registration.status == "waitlisted"  # on the waiting list: no seat yet
    event.add("status", "CANCELLED" if cancelled else "TENTATIVE" if tentative else "CONFIRMED")
    event.add("organizer", organizer())
    attendee = icalendar.vCalAddress(f"mailto:{registration.email}")
    attendee.params["cn"] = icalendar.vText(registration.full_name or registration.email)
    attendee.params["partstat"] = icalendar.vText("DECLINED" if cancelled else "TENTATIVE" if tentative else "ACCEPTED")
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()


def organizer():
    """ORGANIZER of every VEVENT we publish or send (RFC 5546 requires one with METHOD):
    the network's contact address, the one its e-mails come from (DEFAULT_FROM_EMAIL)."""
    value = getattr(settings, "DEFAULT_FROM_EMAIL", "") or "contact@reseco.fr"
    address = icalendar.vCalAddress("mailto:" + value.split("<")[-1].rstrip(">").strip())
    address.params["cn"] = icalendar.vText(getattr(settings, "WAGTAIL_SITE_NAME", "RESECO"))
    return address
