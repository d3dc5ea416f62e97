"""iCalendar feeds (RFC 5545) built with the ``icalendar`` library, never by string building.

A recurring event is one VEVENT with RRULE (UNTIL in UTC), EXDATE/RDATE carrying the TZID; each
occurrence moved or cancelled by hand is an override with the same UID and a RECURRENCE-ID.
Other occurrences (single events, training runs, a personal feed's entries) are one VEVENT each.
Everything is read in a fixed number of queries: the occurrences (with their pages), then the
event pages of the recurring series among them.

Public feeds (``feed_bytes``) serialise each page's VEVENTs once per change: they read plain rows
(ids and last changes, no Page instance), and look up each page's serialised VEVENTs in the cache
under a key made of what they are built from (the page's rows and their last change, its URL,
publication and series SEQUENCE). Only the pages whose key is new are built, with the library,
and stored; the calendar's own lines and its VTIMEZONE are serialised by the library around them.
"""

import datetime
import functools
import hashlib
from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db.models import OuterRef, Subquery, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.html import strip_tags

import icalendar

from registrations.ical import SEATED, organizer
from registrations.kinds import kind_label
from registrations.models import OccurrenceStatus

from .models import EventPage, SeriesState
from .schedule import ical_rrule, local_bounds, local_zone, occurrence_starts

PRODID = "-//RESECO//Agenda du réseau//FR"


def uid_domain():
    return getattr(settings, "EVENTS_ICAL_UID_DOMAIN", "reseco.fr")


def series_uid(page_id):
    return f"event-{page_id}@{uid_domain()}"


def occurrence_uid(occurrence_id):
    return f"occurrence-{occurrence_id}@{uid_domain()}"


def load_series(page_ids):
    """The event pages among ``page_ids`` (one query), with their series SEQUENCE."""
    sequence = SeriesState.objects.filter(page_id=OuterRef("pk")).values("sequence")[:1]
    pages = (
        EventPage.objects.filter(pk__in=page_ids)
        .only(
            "id",
            "start",
            "end",
            "all_day",
            "repeat",
            "repeat_interval",
            "repeat_weekdays",
            "repeat_until",
            "repeat_count",
            "recurrence",
            "summary",
            "kind",
        )
        .annotate(series_sequence=Subquery(sequence))
    )
    return {page.pk: page for page in pages}


def _calendar(name):
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _add_page(cal, page_id, rows, series, *, request, include_online_url):
    page = series.get(page_id)
    if page is not None:
        _add_series(cal, page, rows, request=request, include_online_url=include_online_url)
    else:
        for occ in rows:
            cal.add_component(
                _event(occ, uid=occurrence_uid(occ.pk), request=request, include_online_url=include_online_url)
            )


def build_calendar(occurrences, *, name, request, include_online_url=False, as_series=True):
    """A Calendar of ``occurrences`` (a list with ``page`` selected). ``as_series`` groups the
    rows of recurring event pages into RRULE series; a personal feed lists rows one by one."""
    cal = _calendar(name)
    by_page = defaultdict(list)
    for occ in occurrences:
        by_page[occ.page_id].append(occ)
    series = load_series(list(by_page)) if as_series and by_page else {}
    for page_id, rows in by_page.items():
        _add_page(cal, page_id, rows, series, request=request, include_online_url=include_online_url)
    add_timezones(cal)
    return cal


FRAGMENT_SECONDS = 7 * 24 * 3600  # keys name the data they were built from: never stale, only unused


def _fragment_key(page_id, page_rows, page_data, sequence):
    """The cache key of a page's serialised VEVENTs: everything they are built from."""
    url_path, published = page_data
    parts = [settings.SITE_URL, PRODID, str(page_id), url_path, str(published), str(sequence)]
    parts += [f"{pk}:{changed}" for pk, changed in page_rows]
    return "ical:vevents:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


@functools.cache
def _timezone_lines():
    """The VTIMEZONE of the site's zone, serialised once per process (it depends on no data)."""
    cal = icalendar.Calendar()
    event = icalendar.Event()
    event.add("dtstart", datetime.datetime(2026, 1, 1, 9, tzinfo=local_zone()))
    cal.add_component(event)
    add_timezones(cal)
    return b"".join(tz.to_ical() for tz in cal.walk("VTIMEZONE"))


def feed_bytes(occurrences, *, name):
    """The public iCalendar of ``occurrences`` (a queryset), the page's VEVENTs read from the
    cache when their data has not changed since they were serialised. Same content as
    ``build_calendar(...).to_ical()`` with ``as_series``, without the online links."""
    # The moments only name a version in the keys: read as text, not parsed into datetimes
    # (parsing them was a third of the feed's time at 500 events).
    rows = list(
        occurrences.order_by("start", "pk")
        .annotate(
            changed_text=Cast("updated_at", TextField()), published_text=Cast("page__last_published_at", TextField())
        )
        .values_list(
            "pk", "page_id", "changed_text", "page__url_path", "published_text", "page__series_state__sequence"
        )
    )
    by_page, page_data, sequences = {}, {}, {}
    for pk, page_id, changed, url_path, published, sequence in rows:
        by_page.setdefault(page_id, []).append((pk, changed))
        page_data[page_id] = (url_path, published)
        sequences[page_id] = sequence
    keys = {
        page_id: _fragment_key(page_id, page_rows, page_data[page_id], sequences.get(page_id))
        for page_id, page_rows in by_page.items()
    }
    found = cache.get_many(list(keys.values())) if keys else {}
    missing = [page_id for page_id, key in keys.items() if key not in found]
    if missing:
        found.update(_serialise_pages(missing, by_page, keys))
    cal = _calendar(name)
    head = cal.to_ical()
    end = b"END:VCALENDAR\r\n"
    fragments = [found[keys[page_id]] for page_id in by_page]
    timezones = _timezone_lines() if any(uses_tz for _lines, uses_tz in fragments) else b""
    return head[: -len(end)] + timezones + b"".join(lines for lines, _uses_tz in fragments) + end


def _serialise_pages(page_ids, by_page, keys):
    """Build and store the VEVENTs of ``page_ids`` (two queries for them all)."""
    from registrations.models import Occurrence

    wanted = [pk for page_id in page_ids for pk, _changed in by_page[page_id]]
    occurrences = defaultdict(list)
    for occ in Occurrence.objects.filter(pk__in=wanted).select_related("page").order_by("start", "pk"):
        occurrences[occ.page_id].append(occ)
    series = load_series(page_ids)
    built = {}
    for page_id in page_ids:
        cal = icalendar.Calendar()
        # No request: the page's URL comes from the cached site root paths (no Site lookup), and
        # ``public_url`` puts it at SITE_URL whoever asked.
        _add_page(cal, page_id, occurrences[page_id], series, request=None, include_online_url=False)
        lines = b"".join(component.to_ical() for component in cal.subcomponents)
        built[keys[page_id]] = (lines, b"TZID=" in lines)
    cache.set_many(built, FRAGMENT_SECONDS)
    return built


def add_timezones(cal):
    """One VTIMEZONE per TZID used, from the library; each RDATE on its own line, because
    ical.js (Thunderbird) reads only the first value of a multi-valued RDATE in a VTIMEZONE."""
    cal.add_missing_timezones(first_date=datetime.date(2000, 1, 1), last_date=datetime.date(2045, 1, 1))
    for tz in cal.walk("VTIMEZONE"):
        for rule in tz.subcomponents:
            rdates = rule.pop("RDATE", None)
            if rdates is None:
                continue
            for prop in rdates if isinstance(rdates, list) else [rdates]:
                for moment in prop.dts:
                    rule.add("rdate", moment.dt)


def public_url(url):
    """``url`` (a path, or a full URL built from Wagtail's Site record, which says
    http://localhost/ until someone edits it) at the site's public address, ``SITE_URL``."""
    parts = urlsplit(url or "/")
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return settings.SITE_URL.rstrip("/") + path


def _page_url(occ, request):
    return public_url(occ.page.get_url(request))


def _event(occ, *, uid, request, include_online_url, sequence=None):
    """One VEVENT for one occurrence row. In a personal feed (rows annotated with the person's
    ``registration_status``), a place without a seat (waiting list, pending) is TENTATIVE and
    never carries the online link."""
    seat = getattr(occ, "registration_status", None)
    tentative = seat is not None and seat not in SEATED
    include_online_url = include_online_url and not tentative
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", occ.updated_at.astimezone(datetime.UTC))
    _add_times(event, occ.start, occ.end, all_day=occ.all_day)
    event.add("summary", occ.page.title)
    event.add("sequence", occ.sequence if sequence is None else sequence)
    cancelled = occ.status == OccurrenceStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "TENTATIVE" if tentative else "CONFIRMED")
    event.add("organizer", organizer())
    event.add("url", _page_url(occ, request))
    event.add("description", _description(occ, include_online_url=include_online_url))
    event.add("location", _location(occ, include_online_url=include_online_url))
    event.add("categories", [str(kind_label(occ.kind))])
    return event


def _add_times(event, start, end, *, all_day):
    zone = local_zone()
    start, end = timezone.localtime(start, zone), timezone.localtime(end, zone)
    if all_day:
        last = end.date() if end.time() == datetime.time(0) else end.date() + datetime.timedelta(days=1)
        event.add("dtstart", start.date())
        event.add("dtend", max(last, start.date() + datetime.timedelta(days=1)))  # exclusive end
    else:
        event.add("dtstart", start)
        event.add("dtend", end)


def _description(occ, *, include_online_url):
    lines = [str(kind_label(occ.kind))]
    if occ.status_reason:
        lines.append(occ.status_reason)
    summary = getattr(occ.page, "summary", "") or ""
    if summary:
        lines.append(strip_tags(summary))
    if include_online_url and occ.online_url:
        lines.append(f"Lien de connexion : {occ.online_url}")
    return "\n".join(lines)


def _location(occ, *, include_online_url):
    if occ.location:
        return occ.location.replace("\r", "").replace("\n", ", ")
    if include_online_url and occ.online_url:
        return occ.online_url
    return "En ligne"


def _add_series(cal, page, rows, *, request, include_online_url):
    """One VEVENT with RRULE/RDATE/EXDATE for the series, plus an override per row that differs."""
    base_sequence = page.series_sequence or 0
    exdates, rdates = _stored_dates(page)
    # The rule's instances up to the last row shown: rows outside them are not part of the series.
    last = max(occ.original_start for occ in rows)
    instances = set(occurrence_starts(page, until=last, exception_dates=exdates, extra_dates=rdates))
    in_series = [occ for occ in rows if occ.original_start in instances]
    outside = [occ for occ in rows if occ.original_start not in instances]
    options = {"request": request, "include_online_url": include_online_url}
    if not ical_rrule(page) and not rdates and len(in_series) == 1:
        # A single event: its one row is the event.
        occ = in_series[0]
        cal.add_component(_event(occ, uid=series_uid(page.pk), sequence=base_sequence + occ.sequence, **options))
    elif in_series:
        # Instances of the rule that no row holds (dates before an edit of the series, which stay
        # as they were held) are excluded, so the feed shows exactly the dates that exist.
        first = min(occ.original_start for occ in rows)
        held = {occ.original_start for occ in in_series}
        phantoms = sorted(when for when in instances if when >= first and when not in held)
        cal.add_component(_master(page, rows, in_series[0], exdates, rdates, phantoms, **options))
        zone = local_zone()
        for occ in in_series:
            if occ.detached or occ.is_moved or occ.status == OccurrenceStatus.CANCELLED:
                override = _event(occ, uid=series_uid(page.pk), sequence=base_sequence + occ.sequence, **options)
                recurrence_id = timezone.localtime(occ.original_start, zone)
                override.add("recurrence-id", recurrence_id.date() if page.all_day else recurrence_id)
                cal.add_component(override)
    for occ in outside:
        cal.add_component(_event(occ, uid=occurrence_uid(occ.pk), **options))


def _master(page, rows, template, exdates, rdates, phantoms, *, request, include_online_url):
    """The series' VEVENT: its rule, added and excluded dates, and what every date shares."""
    start, end = local_bounds(page)
    master = icalendar.Event()
    master.add("uid", series_uid(page.pk))
    master.add("dtstamp", max(occ.updated_at for occ in rows).astimezone(datetime.UTC))
    master.add("dtstart", start.date() if page.all_day else start)
    master.add("dtend", end.date() if page.all_day else end)
    rrule = ical_rrule(page)
    if rrule:
        if page.all_day and "UNTIL" in rrule:
            rrule["UNTIL"] = [timezone.localtime(rrule["UNTIL"][0], local_zone()).date()]
        master.add("rrule", rrule)
    for day in rdates:
        master.add("rdate", _at(day, start, all_day=page.all_day))
    for day in exdates:
        master.add("exdate", _at(day, start, all_day=page.all_day))
    for when in phantoms:
        master.add("exdate", when.date() if page.all_day else when)
    master.add("summary", template.page.title)
    master.add("sequence", page.series_sequence or 0)
    master.add("status", "CONFIRMED")
    master.add("organizer", organizer())
    master.add("url", _page_url(template, request))
    master.add("description", _description(_plain(template), include_online_url=include_online_url))
    master.add("location", _location(template, include_online_url=include_online_url))
    master.add("categories", [str(kind_label(template.kind))])
    return master


class _plain:
    """An occurrence seen without its own status reason (for the series' description)."""

    def __init__(self, occ):
        self._occ = occ
        self.status_reason = ""

    def __getattr__(self, name):
        return getattr(self._occ, name)


def _at(day, start, *, all_day):
    if all_day:
        return day
    return datetime.datetime.combine(day, start.timetz().replace(tzinfo=None), start.tzinfo)


def _stored_dates(page):
    """Exception and extra dates from the stored django-recurrence value, as local dates."""
    rec = page.recurrence
    if not rec:
        return [], []
    zone = local_zone()

    def local_date(value):
        if timezone.is_naive(value):
            return value.date()
        return timezone.localtime(value, zone).date()

    return sorted({local_date(d) for d in rec.exdates}), sorted({local_date(d) for d in rec.rdates})


def to_ics(cal):
    return cal.to_ical()
