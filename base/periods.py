"""A date range asked for in a URL or a command (the activity report, staff time summaries):
parsed and checked once."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from .errors import DomainError

MAX_YEARS = 10


class PeriodError(DomainError):
    """A date range that cannot be answered. See ``base.errors.DomainError``."""


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included (local time)."""

    start: datetime.date
    end: datetime.date

    @property
    def start_at(self):
        return _local_midnight(self.start)

    @property
    def end_before(self):
        """The first instant after the period (exclusive bound for datetimes)."""
        return _local_midnight(self.end + datetime.timedelta(days=1))

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def previous(self):
        """The period of the same length just before this one (year-over-year for a calendar year)."""
        if self.start.month == 1 and self.start.day == 1 and self.end.month == 12 and self.end.day == 31:
            years = self.end.year - self.start.year + 1
            return Period(
                self.start.replace(year=self.start.year - years), self.end.replace(year=self.end.year - years)
            )
        end = self.start - datetime.timedelta(days=1)
        return Period(end - datetime.timedelta(days=self.days - 1), end)

    def as_params(self):
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}

    def __str__(self):
        return _("du %(start)s au %(end)s") % {"start": f"{self.start:%d/%m/%Y}", "end": f"{self.end:%d/%m/%Y}"}


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), timezone.get_current_timezone())


def _parse(raw, field):
    if isinstance(raw, datetime.date):
        return raw
    raw = (raw or "").strip()
    if not raw:
        raise PeriodError(
            _("Indiquez une date de début et une date de fin : une période sans borne n'est pas acceptée."),
            "unbounded",
            field,
        )
    try:
        day = parse_date(raw)
    except ValueError:
        day = None
    if day is None:
        raise PeriodError(
            _("« %(value)s » n'est pas une date valide (AAAA-MM-JJ).") % {"value": raw[:40]}, "invalid", field
        )
    return day


def parse_period(raw_start, raw_end):
    """A Period from two ISO dates (strings or dates); raises PeriodError with a French message."""
    start, end = _parse(raw_start, "from"), _parse(raw_end, "to")
    if end < start:
        raise PeriodError(_("La date de fin précède la date de début."), "reversed", "to")
    if start.year < 1990 or end.year > 2100:
        raise PeriodError(_("Les dates doivent être comprises entre 1990 et 2100."), "out_of_range", "from")
    if (end - start).days > MAX_YEARS * 366:
        raise PeriodError(_("La période ne peut pas dépasser %(years)s ans.") % {"years": MAX_YEARS}, "too_long", "to")
    return Period(start, end)


def year_period(year):
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def default_period():
    """The last full calendar year until the end of March, the current year after."""
    today = timezone.localdate()
    return year_period(today.year - 1 if today.month <= 3 else today.year)
