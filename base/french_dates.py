"""Dates and times written the French way, in Europe/Paris, for every app:
"mardi 3 mars 2026, 9 h 30 – 12 h", "vendredi 1er mai 2026, 14 h – 17 h 05"; and read back from URLs."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _


def local_zone():
    return ZoneInfo(settings.TIME_ZONE)


def local(value):
    return timezone.localtime(value, local_zone())


def french_time(value):
    """9 h 30, 12 h."""
    return f"{value.hour} h {value.minute:02d}" if value.minute else f"{value.hour} h"


def french_date(value):
    """mardi 3 mars 2026 (1er for the first day of the month)."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{formats.date_format(value, 'l')} {day} {formats.date_format(value, 'F Y')}"


def french_datetime(value):
    """mardi 3 mars 2026, 9 h 30."""
    value = local(value)
    return f"{french_date(value.date())}, {french_time(value)}"


def french_span(occurrence):
    """The dates of anything with ``start``, ``end`` and optionally ``all_day``."""
    start, end = local(occurrence.start), local(occurrence.end)
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


def safe_date(raw):
    """An ISO date (AAAA-MM-JJ) or None, never an exception (for query strings and URLs)."""
    if not isinstance(raw, str) or len(raw) != 10:
        return None
    try:
        return parse_date(raw)
    except ValueError:
        return None
