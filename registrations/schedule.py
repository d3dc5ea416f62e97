"""Attendance parts of an occurrence: half-days for full days, one session for shorter ones.

Computed in local time (Europe/Paris), so a day's morning ends at 12:30 on the wall clock
whatever the season.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import OccurrencePart, PartKind

FULL_DAY_HOURS = 6
DAY_START = datetime.time(9, 0)
DAY_END = datetime.time(17, 0)
MORNING_END = datetime.time(12, 30)
AFTERNOON_START = datetime.time(13, 30)


def default_parts(start, end, *, all_day=False):
    """The parts of an occurrence from ``start`` to ``end`` as (date, kind, start, end) tuples."""
    zone = timezone.get_current_timezone()
    local_start, local_end = timezone.localtime(start, zone), timezone.localtime(end, zone)
    first, last = local_start.date(), local_end.date()
    if all_day and local_end.time() == datetime.time(0, 0) and last > first:
        last -= datetime.timedelta(days=1)  # an exclusive all-day end
    parts = []
    day = first
    while day <= last:
        opens = local_start.time() if day == first and not all_day else DAY_START
        closes = local_end.time() if day == last and not all_day else DAY_END
        day_start = timezone.make_aware(datetime.datetime.combine(day, opens), zone)
        day_end = timezone.make_aware(datetime.datetime.combine(day, closes), zone)
        if day_end > day_start:
            parts.extend(_split_day(day, day_start, day_end, zone))
        day += datetime.timedelta(days=1)
    if not parts and end > start:
        # Outside office hours (an evening session running past midnight, say): one session.
        parts.append((first, PartKind.WHOLE, start, end))
    return parts


def _split_day(day, day_start, day_end, zone):
    morning_end = timezone.make_aware(datetime.datetime.combine(day, MORNING_END), zone)
    afternoon_start = timezone.make_aware(datetime.datetime.combine(day, AFTERNOON_START), zone)
    full_day = (day_end - day_start) >= datetime.timedelta(hours=FULL_DAY_HOURS)
    if full_day and day_start < morning_end and day_end > afternoon_start:
        return [(day, PartKind.MORNING, day_start, morning_end), (day, PartKind.AFTERNOON, afternoon_start, day_end)]
    return [(day, PartKind.WHOLE, day_start, day_end)]


@transaction.atomic
def sync_parts(occurrence, parts=None):
    """Make the occurrence's parts match ``parts`` (default: computed from its times).

    Parts that carry attendance are kept (attendance is never lost); others are replaced."""
    wanted = parts if parts is not None else default_parts(occurrence.start, occurrence.end, all_day=occurrence.all_day)
    keys = {(date, kind) for date, kind, _, _ in wanted}
    existing = {(p.date, p.kind): p for p in occurrence.parts.all()}
    for key, part in existing.items():
        if key not in keys and not part.attendances.exists():
            part.delete()
    for date, kind, start, end in wanted:
        part = existing.get((date, kind))
        if part is None:
            OccurrencePart.objects.create(occurrence=occurrence, date=date, kind=kind, start=start, end=end)
        elif (part.start, part.end) != (start, end):
            part.start, part.end = start, end
            part.save(update_fields=["start", "end"])
