"""Keeping an owner page's occurrence rows in step with the dates it wants.

``plan_sync`` decides, without writing, how each existing row follows the page's specs (moved,
updated, back in the series, cancelled or deleted) and which specs become new rows; ``impact``
says whom that affects (the editor's confirmation screen); ``sync_occurrences`` applies the plan
under a lock on the page's rows. See ``registrations.occurrences`` for the owner's contract.
"""

import dataclasses
import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail import hooks

from members.audience import Audience

from .matching import match_series
from .models import Occurrence, OccurrencePart, OccurrenceStatus, Registration
from .models.registrations import ACTIVE_STATUSES, SEAT_STATUSES
from .schedule import default_parts, sync_parts
from .signals import occurrence_cancelled, occurrence_rescheduled

DESCRIPTIVE_FIELDS = (
    "seats_per_organisation",
    "audience",
    "registration_required",
    "registration_opens_at",
    "registration_closes_at",
    "location",
    "online_url",
)
SCHEDULE_FIELDS = ("start", "end", "all_day")


@dataclasses.dataclass
class OccurrenceSpec:
    """One occurrence an owner page wants. ``start`` defaults to ``original_start``; ``parts``
    (list of (date, kind, start, end)) defaults to half-days computed by the engine. ``key`` is
    the date's identity when the owner has one (a training run's key); without it, a date is
    identified by its place in the series (``original_start``)."""

    original_start: datetime.datetime
    end: datetime.datetime
    start: datetime.datetime | None = None
    key: str = ""
    all_day: bool = False
    capacity: int | None = None
    seats_per_organisation: int | None = None
    audience: str = Audience.EVERYONE
    registration_required: bool = True
    registration_opens_at: datetime.datetime | None = None
    registration_closes_at: datetime.datetime | None = None
    location: str = ""
    online_url: str = ""
    parts: list | None = None

    def __post_init__(self):
        if self.start is None:
            self.start = self.original_start
        self.key = str(self.key or "")


@dataclasses.dataclass
class SyncPlan:
    """What publishing the owner page's dates will do, computed before anything is written: the
    editor sees it (``impact``) before confirming, and ``sync_occurrences`` applies it."""

    page_id: int
    kind: str
    now: datetime.datetime
    create: list = dataclasses.field(default_factory=list)  # specs
    update: list = dataclasses.field(default_factory=list)  # (row, spec) kept in the series
    move: list = dataclasses.field(default_factory=list)  # (row, spec) whose time changes
    revive: list = dataclasses.field(default_factory=list)  # (row, spec) back in the series
    cancel: list = dataclasses.field(default_factory=list)  # rows leaving it, with registrations
    delete: list = dataclasses.field(default_factory=list)  # rows leaving it, nobody registered
    counts: dict = dataclasses.field(default_factory=dict)  # row id: RegistrationCounts

    def active(self, rows):
        return sum(self.counts[occ.pk].active for occ, *_ in rows if occ.pk in self.counts)


@dataclasses.dataclass(frozen=True)
class RegistrationCounts:
    total: int = 0  # any status, history included
    seats: int = 0  # holding a seat
    active: int = 0  # to be told of a change


@dataclasses.dataclass
class Impact:
    """What an edit does to people, as the editor's confirmation screen shows it."""

    moved: list  # (occurrence, new start, new end, people to tell)
    cancelled: list  # (occurrence, people to tell)
    created: int
    deleted: int
    refunds: int

    @property
    def people_moved(self):
        return sum(people for *_, people in self.moved)

    @property
    def people_cancelled(self):
        return sum(people for _occ, people in self.cancelled)

    @property
    def affects_people(self):
        return bool(self.people_moved or self.people_cancelled)


@dataclasses.dataclass
class SyncResult:
    """What ``sync_occurrences`` changed (lists of occurrences; ``deleted`` holds original starts)."""

    created: list = dataclasses.field(default_factory=list)
    updated: list = dataclasses.field(default_factory=list)
    cancelled: list = dataclasses.field(default_factory=list)
    deleted: list = dataclasses.field(default_factory=list)
    moved: list = dataclasses.field(default_factory=list)

    @property
    def changed(self):
        return bool(self.created or self.updated or self.cancelled or self.deleted)


def _as_spec(spec):
    return spec if isinstance(spec, OccurrenceSpec) else OccurrenceSpec(**spec)


def plan_sync(page, specs, *, kind, now=None, lock=False):
    """Decide how ``page``'s rows follow ``specs`` without writing anything.

    - Dates that have started are history: never moved, cancelled, re-opened or updated. Specs
      in the past are only created the first time a page is materialised.
    - A spec with a ``key`` is the row with that key; the other specs are paired with the rows by
      their place in the series (``registrations.matching``), so an edit moves dates.
    - Dates moved or cancelled by hand (``detached``) keep their time and status; they still hold
      their place in the series, so the series neither re-opens nor duplicates them.
    - A row left without a spec is deleted, or cancelled if it has registrations.
    """
    now = now or timezone.now()
    rows = Occurrence.objects.filter(page_id=page.pk).order_by("original_start")
    rows = list(rows.select_for_update() if lock else rows)
    plan = SyncPlan(page_id=page.pk, kind=kind, now=now, counts=_registration_counts(rows))
    first_time = not rows
    open_rows = [occ for occ in rows if not occ.has_started(now)]
    wanted = _wanted(specs, history=[occ for occ in rows if occ.has_started(now)], now=now, first_time=first_time)
    pairs, lone_rows, lone_specs = _pair(open_rows, wanted)
    held = {occ.start for occ in open_rows if occ.detached and not occ.is_cancelled}
    for occ, spec in pairs:
        plan.update.append((occ, spec))
        if occ.detached:
            continue
        if occ.is_cancelled:
            plan.revive.append((occ, spec))
        elif (
            (occ.start, occ.end, occ.all_day) != (spec.start, spec.end, spec.all_day)
            and spec.start not in held
            and (first_time or spec.start > now)  # a date is never moved into the past
        ):
            plan.move.append((occ, spec))
    for occ in lone_rows:
        if occ.detached or occ.is_cancelled:
            continue  # as the editor (or an earlier edit) left it
        (plan.cancel if plan.counts.get(occ.pk, RegistrationCounts()).total else plan.delete).append(occ)
    plan.create = sorted(
        (spec for spec in lone_specs if spec.start not in held and (first_time or spec.start > now)),
        key=lambda spec: spec.start,
    )
    return plan


def _wanted(specs, *, history, now, first_time):
    """The specs a sync works with, by identity. Positions held by dates that have started stay
    theirs; other specs already past count only within one period of the series before now (so a
    date whose new time has just passed today is kept in place rather than cancelled)."""
    specs = [_as_spec(raw) for raw in specs]
    taken_starts = {occ.original_start for occ in history}
    taken_keys = {occ.key for occ in history if occ.key}
    recent = now - _period(specs)
    wanted = {}
    for spec in specs:
        if not first_time and (spec.original_start in taken_starts or spec.key in taken_keys or spec.start <= recent):
            continue
        wanted.setdefault(spec.key or spec.original_start, spec)
    return list(wanted.values())


def _period(specs):
    """The usual spacing of a series' dates (one day for a single date)."""
    starts = sorted(spec.original_start for spec in specs)
    gaps = sorted(b - a for a, b in zip(starts, starts[1:], strict=False))
    return max(gaps[len(gaps) // 2], datetime.timedelta(days=1)) if gaps else datetime.timedelta(days=1)


def _pair(open_rows, wanted):
    """Rows and specs with the same key, then the keyless ones by their place in the series."""
    by_key = {occ.key: occ for occ in open_rows if occ.key}
    pairs = [(by_key[spec.key], spec) for spec in wanted if spec.key in by_key]
    lone_specs = [spec for spec in wanted if spec.key and spec.key not in by_key]
    paired_keys = {spec.key for _row, spec in pairs}
    lone_rows = [occ for occ in open_rows if occ.key and occ.key not in paired_keys]
    series_pairs, series_rows, series_specs = match_series(
        [occ for occ in open_rows if not occ.key],
        [spec for spec in wanted if not spec.key],
        # Dates the series itself cancelled come back only on their very date.
        exact_only={occ.pk for occ in open_rows if occ.is_cancelled and not occ.detached},
    )
    return pairs + series_pairs, lone_rows + series_rows, lone_specs + series_specs


def impact(plan):
    """Who an edit affects: moved dates and cancelled dates with the people told, refunds."""
    counts = plan.counts
    moved = [(occ, spec.start, spec.end, counts[occ.pk].active if occ.pk in counts else 0) for occ, spec in plan.move]
    cancelled = [(occ, counts[occ.pk].active if occ.pk in counts else 0) for occ in plan.cancel]
    ids = [occ.pk for occ in plan.cancel]
    # Owners of prices (payments) say how many cancelled registrations they will refund.
    refunds = sum(fn(ids) for fn in hooks.get_hooks("registrations_refunds_for_occurrences")) if ids else 0
    return Impact(moved=moved, cancelled=cancelled, created=len(plan.create), deleted=len(plan.delete), refunds=refunds)


@transaction.atomic
def sync_occurrences(page, specs, *, kind, now=None, reason="", actor=None):
    """Make ``page``'s occurrence rows follow ``specs`` (OccurrenceSpec or dicts), as
    ``plan_sync`` decides, under a lock on the page's rows. Moved dates send
    ``occurrence_rescheduled`` and cancelled ones ``occurrence_cancelled`` (with ``reason``), whose
    receivers tell the registrants, in a number of queries that does not grow with them."""
    plan = plan_sync(page, specs, kind=kind, now=now, lock=True)
    return apply_plan(plan, reason=reason, actor=actor)


def apply_plan(plan, *, reason="", actor=None):
    result = SyncResult()
    moving = {occ.pk: (occ.start, occ.end) for occ, _spec in plan.move}
    reviving = {occ.pk for occ, _spec in plan.revive}
    changed_rows, fields = [], set()
    for occ, spec in plan.update:
        changed = _apply_spec(occ, spec, kind=plan.kind, now=plan.now, move=occ.pk in moving, revive=occ.pk in reviving)
        changed |= _apply_capacity(occ, spec, now=plan.now, seats_taken=_counts(plan, occ).seats)
        if changed:
            changed_rows.append(occ)
            fields |= changed
    for occ in plan.cancel:
        set_cancelled(occ, reason=reason or _("Cette date a été retirée du calendrier."))
        changed_rows.append(occ)
        fields |= {"status", "status_reason", "sequence"}
    if changed_rows:
        now = timezone.now()
        for occ in changed_rows:
            occ.updated_at = now
        Occurrence.objects.bulk_update(changed_rows, [*sorted(fields), "updated_at"])
    for occ, spec in plan.update:
        if occ.pk in moving or occ.pk in reviving or spec.parts is not None:
            sync_parts(occ, spec.parts)
    if plan.delete:
        Occurrence.objects.filter(pk__in=[occ.pk for occ in plan.delete]).delete()
        result.deleted.extend(occ.original_start for occ in plan.delete)
    result.created.extend(_create(plan))
    result.updated.extend(occ for occ in changed_rows if occ not in plan.cancel)
    result.cancelled.extend(plan.cancel)
    for occ in plan.cancel:
        occurrence_cancelled.send(sender=Occurrence, occurrence=occ, reason=occ.status_reason, actor=actor)
    for occ, _spec in plan.move:
        previous_start, previous_end = moving[occ.pk]
        result.moved.append(occ)
        occurrence_rescheduled.send(
            sender=Occurrence,
            occurrence=occ,
            previous_start=previous_start,
            previous_end=previous_end,
            actor=actor,
            reason=reason,
        )
    return result


def _counts(plan, occ):
    return plan.counts.get(occ.pk, RegistrationCounts())


def _create(plan):
    """Insert the new dates and their parts (two queries). A keyed date whose start is already a
    series position of this page gets the next free microsecond (its identity is its key)."""
    if not plan.create:
        return []
    taken = set(Occurrence.objects.filter(page_id=plan.page_id).values_list("original_start", flat=True))
    rows = []
    for spec in plan.create:
        original_start = spec.original_start
        while original_start in taken:
            original_start += datetime.timedelta(microseconds=1)
        taken.add(original_start)
        occ = Occurrence(
            page_id=plan.page_id,
            kind=plan.kind,
            key=spec.key,
            original_start=original_start,
            start=spec.start,
            end=spec.end,
            all_day=spec.all_day,
            capacity=spec.capacity,
        )
        for name in DESCRIPTIVE_FIELDS:
            setattr(occ, name, getattr(spec, name))
        rows.append(occ)
    created = Occurrence.objects.bulk_create(rows)
    parts = []
    for occ, spec in zip(created, plan.create, strict=True):
        wanted = spec.parts if spec.parts is not None else default_parts(occ.start, occ.end, all_day=occ.all_day)
        parts.extend(
            OccurrencePart(occurrence=occ, date=date, kind=part_kind, start=start, end=end)
            for date, part_kind, start, end in wanted
        )
    OccurrencePart.objects.bulk_create(parts)
    return created


def _registration_counts(occurrences):
    """{occurrence id: RegistrationCounts} in one query."""
    ids = [occ.pk for occ in occurrences]
    if not ids:
        return {}
    rows = (
        Registration.objects.filter(occurrence_id__in=ids)
        .values("occurrence_id")
        .annotate(
            total=Count("pk"),
            seats=Count("pk", filter=Q(status__in=SEAT_STATUSES)),
            active=Count("pk", filter=Q(status__in=ACTIVE_STATUSES)),
        )
    )
    return {row["occurrence_id"]: RegistrationCounts(row["total"], row["seats"], row["active"]) for row in rows}


def _apply_spec(occ, spec, *, kind, now, move, revive):
    """Apply ``spec`` to a row kept in the series (in memory); returns the changed fields."""
    changed = set()
    if not occ.key and occ.original_start != spec.original_start:
        occ.original_start = spec.original_start  # its place in the new series
        changed.add("original_start")
    if move:
        occ.start, occ.end, occ.all_day = spec.start, spec.end, spec.all_day
        changed |= {"start", "end", "all_day"}
    if revive:
        occ.status, occ.status_reason = OccurrenceStatus.SCHEDULED, ""
        changed |= {"status", "status_reason"}
    if move or revive:
        occ.sequence += 1
        changed.add("sequence")
    if occ.kind != kind:
        occ.kind = kind
        changed.add("kind")
    for name in DESCRIPTIVE_FIELDS:
        if getattr(occ, name) != getattr(spec, name):
            setattr(occ, name, getattr(spec, name))
            changed.add(name)
    return changed


def _apply_capacity(occ, spec, *, now, seats_taken):
    """A series' capacity applies to its future dates without their own, never below the seats
    already taken."""
    if occ.capacity_overridden or occ.start <= now:
        return set()
    capacity = spec.capacity
    if capacity is not None:
        capacity = max(capacity, seats_taken)
    if occ.capacity == capacity:
        return set()
    occ.capacity = capacity
    return {"capacity"}


def set_cancelled(occ, *, reason):
    occ.status = OccurrenceStatus.CANCELLED
    occ.status_reason = reason
    occ.sequence += 1
