"""An event's schedule: its recurrence rule (django-recurrence) expanded in local time.

django-recurrence stores DTSTART in UTC, so a weekly 9:30 Paris meeting would come back at 10:30
after the spring change: we expand from the page's *local* (Europe/Paris) wall-clock start as a
naive datetime and attach the zone to each result. Exception dates are compared as dates (the
widget stores them at midnight, which never matches a 9:30 occurrence).
"""

import datetime
import hashlib
import json
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

import recurrence
from dateutil import rrule as dateutil_rrule

from registrations.occurrences import OccurrenceSpec

from . import conf

FREQUENCIES = {
    "daily": recurrence.DAILY,
    "weekly": recurrence.WEEKLY,
    "monthly_day": recurrence.MONTHLY,
    "monthly_weekday": recurrence.MONTHLY,
    "yearly": recurrence.YEARLY,
}
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def local_zone():
    return ZoneInfo(settings.TIME_ZONE)


def local_bounds(page):
    """(start, end) of the first occurrence as aware local datetimes; all-day → midnight, exclusive end."""
    zone = local_zone()
    start, end = timezone.localtime(page.start, zone), timezone.localtime(page.end, zone)
    if page.all_day:
        start = datetime.datetime.combine(start.date(), datetime.time(0), zone)
        end = datetime.datetime.combine(end.date() + datetime.timedelta(days=1), datetime.time(0), zone)
    return start, end


def nth_weekday(day):
    """For a date, its position in the month for "the 2nd Tuesday" rules (5th → last, -1)."""
    n = (day.day - 1) // 7 + 1
    return -1 if n == 5 else n


def build_rule(page):
    """The page's recurrence.Rule in local time, or None when it does not repeat."""
    if not page.repeat:
        return None
    start, _end = local_bounds(page)
    byday = None
    if page.repeat == "weekly":
        days = page.repeat_weekdays or [WEEKDAY_CODES[start.weekday()]]
        byday = [getattr(recurrence, code) for code in WEEKDAY_CODES if code in days]
    elif page.repeat == "monthly_weekday":
        byday = [getattr(recurrence, WEEKDAY_CODES[start.weekday()])(nth_weekday(start.date()))]
    until = None
    if page.repeat_until:
        until = datetime.datetime.combine(page.repeat_until, start.time())
    return recurrence.Rule(
        FREQUENCIES[page.repeat],
        interval=page.repeat_interval or 1,
        byday=byday,
        until=until,
        count=page.repeat_count or None,
    )


def build_recurrence(page, exception_dates=(), extra_dates=()):
    """The django-recurrence object edited through the page's panel (naive local datetimes)."""
    start, _end = local_bounds(page)
    naive = start.replace(tzinfo=None)
    rule = build_rule(page)
    return recurrence.Recurrence(
        dtstart=naive,
        rrules=[rule] if rule else [],
        exdates=[datetime.datetime.combine(d, naive.time()) for d in exception_dates],
        rdates=[datetime.datetime.combine(d, naive.time()) for d in extra_dates],
    )


def occurrence_starts(page, *, until, exception_dates=(), extra_dates=()):
    """Aware local starts of the series from its first start to ``until`` (aware), sorted."""
    zone = local_zone()
    start, _end = local_bounds(page)
    naive_start = start.replace(tzinfo=None)
    naive_until = timezone.localtime(until, zone).replace(tzinfo=None)
    rule = build_rule(page)
    naive = {naive_start}
    if rule is not None:
        rrule = rule.to_dateutil_rrule(dtstart=naive_start)
        naive.update(rrule.between(naive_start, naive_until, inc=True))
    naive.update(datetime.datetime.combine(d, naive_start.time()) for d in extra_dates)
    skipped = set(exception_dates)
    return sorted(
        datetime.datetime.combine(n.date(), n.time(), zone)
        for n in naive
        if n.date() not in skipped and n <= naive_until
    )


def count_in_horizon(page, *, now=None):
    """How many occurrences the rule gives inside the horizon (to refuse absurd rules); stops
    counting just past the limit."""
    if not page.repeat:
        return 1
    start, _end = local_bounds(page)
    naive_start = start.replace(tzinfo=None)
    rrule = build_rule(page).to_dateutil_rrule(dtstart=naive_start)
    local_now = timezone.localtime(now or timezone.now(), local_zone()).replace(tzinfo=None)
    window_start = max(naive_start, local_now)
    window_end = window_start + datetime.timedelta(days=round(30.44 * conf.horizon_months()))
    count = 0
    for when in rrule.xafter(window_start, inc=True):
        if when > window_end or count > conf.max_occurrences():
            break
        count += 1
    return count


def horizon_end(now=None):
    now = now or timezone.now()
    return now + datetime.timedelta(days=round(30.44 * conf.horizon_months()))


def occurrence_specs(page, *, exception_dates, extra_dates, now=None):
    """The OccurrenceSpec list the engine materialises for ``page``."""
    start, end = local_bounds(page)
    duration = end - start
    zone = local_zone()
    specs = []
    # The rolling horizon starts today, or at the first date of an event planned further ahead.
    until = horizon_end(max(now or timezone.now(), start))
    for begin in occurrence_starts(page, until=until, exception_dates=exception_dates, extra_dates=extra_dates):
        # Wall-clock duration: a 9:30–12:00 meeting stays 9:30–12:00 across a DST change.
        finish = datetime.datetime.combine(
            (begin.replace(tzinfo=None) + duration).date(), (begin.replace(tzinfo=None) + duration).time(), zone
        )
        specs.append(
            OccurrenceSpec(
                original_start=begin,
                end=finish,
                all_day=page.all_day,
                capacity=page.capacity,
                seats_per_organisation=page.seats_per_organisation,
                audience=page.audience,
                registration_required=page.registration_required,
                **registration_window(page, begin),
                location=page.location,
                online_url=page.online_url,
            )
        )
    return specs


def registration_window(page, begin):
    """When registration to the date starting at ``begin`` opens and closes: fixed for the
    series, or relative to each date (so a series never closes all its dates at once)."""
    opens, closes = page.registration_opens_at, page.registration_closes_at
    if page.registration_opens_days_before is not None:
        opens = begin - datetime.timedelta(days=page.registration_opens_days_before)
    if page.registration_closes_hours_before is not None:
        closes = begin - datetime.timedelta(hours=page.registration_closes_hours_before)
    return {"registration_opens_at": opens, "registration_closes_at": closes}


def fingerprint(page, *, exception_dates, extra_dates):
    """A digest of what the series' SEQUENCE depends on (times, rule, exceptions, status)."""
    data = {
        "start": page.start.isoformat() if page.start else None,
        "end": page.end.isoformat() if page.end else None,
        "all_day": page.all_day,
        "rule": str(build_recurrence(page, exception_dates, extra_dates)) if page.start else "",
        "live": page.live,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


def ical_rrule(page):
    """The RRULE as a dict for icalendar's vRecur (UNTIL in UTC)."""
    rule = build_rule(page)
    if rule is None:
        return None
    value = {"FREQ": [dateutil_rrule.FREQNAMES[rule.freq]]}
    if rule.interval and rule.interval > 1:
        value["INTERVAL"] = [rule.interval]
    if rule.byday:
        value["BYDAY"] = [str(day) for day in rule.byday]
    if rule.count:
        value["COUNT"] = [rule.count]
    if rule.until:
        local_until = datetime.datetime.combine(rule.until.date(), rule.until.time(), local_zone())
        value["UNTIL"] = [local_until.astimezone(datetime.UTC)]
    return value
