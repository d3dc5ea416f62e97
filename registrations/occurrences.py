"""Occurrence lifecycle: materialise an owner page's occurrence rows, cancel or move one.

The engine knows no page type: an owner (an event page, a training page…) computes the list of
occurrences it wants (``OccurrenceSpec``, keyed by ``original_start``) and calls
``sync_occurrences``. Rows moved or cancelled by hand (``detached``) are left alone; a row that
has registrations is cancelled, never deleted. Editors cancel or move one occurrence with
``cancel_occurrence`` / ``reschedule_occurrence``, which send the engine's signals.
"""

import dataclasses
import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.audience import Audience

from .errors import RegistrationError
from .models import Occurrence, OccurrencePart, OccurrenceStatus, Registration
from .models.registrations import SEAT_STATUSES
from .schedule import default_parts, sync_parts
from .signals import occurrence_cancelled, occurrence_rescheduled

# Fields copied from a spec onto its row (besides the schedule: start, end, all_day).
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
    (list of (date, kind, start, end)) defaults to half-days computed by the engine."""

    original_start: datetime.datetime
    end: datetime.datetime
    start: datetime.datetime | None = None
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


@dataclasses.dataclass
class SyncResult:
    """What ``sync_occurrences`` changed (lists of occurrences; ``deleted`` holds original starts)."""

    created: list = dataclasses.field(default_factory=list)
    updated: list = dataclasses.field(default_factory=list)
    cancelled: list = dataclasses.field(default_factory=list)
    deleted: list = dataclasses.field(default_factory=list)

    @property
    def changed(self):
        return bool(self.created or self.updated or self.cancelled or self.deleted)


def _as_spec(spec):
    return spec if isinstance(spec, OccurrenceSpec) else OccurrenceSpec(**spec)


@transaction.atomic
def sync_occurrences(page, specs, *, kind, now=None):
    """Make ``page``'s occurrence rows match ``specs`` (an iterable of OccurrenceSpec or dicts).

    - a wanted occurrence without a row is created (with its parts);
    - a row still wanted is updated (schedule, capacity unless overridden and never below the
      seats already taken for a future occurrence, place, audience…); a row cancelled because it
      had disappeared comes back scheduled; ``sequence`` increases when time or status changes;
    - a detached row (moved or cancelled by hand) keeps its schedule and status;
    - a row no longer wanted is deleted, or cancelled if it has registrations; detached ones stay.
    """
    now = now or timezone.now()
    wanted = {}
    for raw in specs:
        spec = _as_spec(raw)
        wanted[spec.original_start] = spec
    # Lock the page's rows (PostgreSQL refuses FOR UPDATE with GROUP BY: count separately).
    existing = {occ.original_start: occ for occ in Occurrence.objects.select_for_update().filter(page_id=page.pk)}
    counts = _registration_counts(existing.values())
    result = SyncResult()

    new_rows = []
    for original_start, spec in wanted.items():
        occ = existing.get(original_start)
        if occ is None:
            new_rows.append((_new_occurrence(page, spec, kind=kind), spec))
        elif _update_from_spec(occ, spec, kind=kind, now=now, seats_taken=counts.get(occ.pk, (0, 0))[1]):
            result.updated.append(occ)

    if new_rows:
        created = Occurrence.objects.bulk_create([occ for occ, _spec in new_rows])
        parts = []
        for occ, (_row, spec) in zip(created, new_rows, strict=True):
            wanted_parts = (
                spec.parts if spec.parts is not None else default_parts(occ.start, occ.end, all_day=occ.all_day)
            )
            parts.extend(
                OccurrencePart(occurrence=occ, date=date, kind=part_kind, start=start, end=end)
                for date, part_kind, start, end in wanted_parts
            )
        OccurrencePart.objects.bulk_create(parts)
        result.created.extend(created)

    gone = [occ for original_start, occ in existing.items() if original_start not in wanted and not occ.detached]
    to_delete = [occ for occ in gone if not counts.get(occ.pk)]
    for occ in gone:
        if counts.get(occ.pk) and occ.status != OccurrenceStatus.CANCELLED:
            _set_cancelled(occ, reason=_("Cette date a été retirée du calendrier."))
            occ.save()
            occurrence_cancelled.send(sender=Occurrence, occurrence=occ, reason=occ.status_reason, actor=None)
            result.cancelled.append(occ)
    if to_delete:
        Occurrence.objects.filter(pk__in=[occ.pk for occ in to_delete]).delete()
        result.deleted.extend(occ.original_start for occ in to_delete)
    return result


def _registration_counts(occurrences):
    """{occurrence id: (registrations of any status, seats taken)} in one query."""
    ids = [occ.pk for occ in occurrences]
    if not ids:
        return {}
    rows = (
        Registration.objects.filter(occurrence_id__in=ids)
        .values("occurrence_id")
        .annotate(total=Count("pk"), seats=Count("pk", filter=Q(status__in=SEAT_STATUSES)))
    )
    return {row["occurrence_id"]: (row["total"], row["seats"]) for row in rows}


def _new_occurrence(page, spec, *, kind):
    occ = Occurrence(
        page_id=page.pk,
        kind=kind,
        original_start=spec.original_start,
        start=spec.start,
        end=spec.end,
        all_day=spec.all_day,
        capacity=spec.capacity,
    )
    for name in DESCRIPTIVE_FIELDS:
        setattr(occ, name, getattr(spec, name))
    return occ


def _update_from_spec(occ, spec, *, kind, now, seats_taken):
    """Apply ``spec`` to an existing row; save it and return True if anything changed."""
    changed = set()
    time_changed = False
    if not occ.detached:
        for name in SCHEDULE_FIELDS:
            if getattr(occ, name) != getattr(spec, name):
                setattr(occ, name, getattr(spec, name))
                changed.add(name)
                time_changed = True
        if occ.status == OccurrenceStatus.CANCELLED:
            # It had disappeared from the series (and was kept for its registrations): it is back.
            occ.status, occ.status_reason = OccurrenceStatus.SCHEDULED, ""
            changed.update({"status", "status_reason"})
            time_changed = True
    if occ.kind != kind:
        occ.kind = kind
        changed.add("kind")
    for name in DESCRIPTIVE_FIELDS:
        if getattr(occ, name) != getattr(spec, name):
            setattr(occ, name, getattr(spec, name))
            changed.add(name)
    if not occ.capacity_overridden and occ.start > now:
        capacity = spec.capacity
        if capacity is not None:
            capacity = max(capacity, seats_taken)
        if occ.capacity != capacity:
            occ.capacity = capacity
            changed.add("capacity")
    if not changed:
        return False
    if time_changed:
        occ.sequence += 1
        changed.add("sequence")
    occ.save(update_fields=[*changed, "updated_at"])
    if time_changed or spec.parts is not None:
        sync_parts(occ, spec.parts)
    return True


def _set_cancelled(occ, *, reason):
    occ.status = OccurrenceStatus.CANCELLED
    occ.status_reason = reason
    occ.sequence += 1


def _locked(occurrence):
    return Occurrence.objects.select_for_update().get(pk=occurrence.pk)


@transaction.atomic
def cancel_occurrence(occurrence, *, reason, actor=None):
    """Cancel one occurrence (not the series), with a reason shown to visitors.

    It becomes detached: later edits of the series do not bring it back. Registrants are told by
    the receivers of ``occurrence_cancelled`` (the registration engine)."""
    reason = (reason or "").strip()
    if not reason:
        raise RegistrationError(
            _("Indiquez le motif de l'annulation : il est affiché aux visiteurs."), "reason_required"
        )
    occ = _locked(occurrence)
    if occ.status == OccurrenceStatus.CANCELLED:
        raise RegistrationError(_("Cette occurrence est déjà annulée."), "already_cancelled")
    _set_cancelled(occ, reason=reason)
    occ.detached = True
    occ.save(update_fields=["status", "status_reason", "sequence", "detached", "updated_at"])
    occurrence_cancelled.send(sender=Occurrence, occurrence=occ, reason=reason, actor=actor)
    _refresh(occurrence, occ)
    return occurrence


@transaction.atomic
def reschedule_occurrence(occurrence, *, start, end, reason="", actor=None):
    """Move one occurrence to ``start``–``end`` (aware datetimes); the rest of the series stays.

    Its ``original_start`` is kept (RECURRENCE-ID in feeds); parts follow the new times."""
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise RegistrationError(_("Les dates doivent porter un fuseau horaire."), "naive_datetime")
    if end <= start:
        raise RegistrationError(_("La fin doit suivre le début."), "invalid_times")
    occ = _locked(occurrence)
    if occ.status == OccurrenceStatus.CANCELLED:
        raise RegistrationError(_("Une occurrence annulée ne peut pas être déplacée."), "cancelled")
    previous_start, previous_end = occ.start, occ.end
    if (previous_start, previous_end) == (start, end):
        raise RegistrationError(_("Les nouvelles dates sont identiques aux anciennes."), "unchanged")
    occ.start, occ.end = start, end
    occ.status_reason = (reason or "").strip()
    occ.detached = True
    occ.sequence += 1
    occ.save(update_fields=["start", "end", "status_reason", "detached", "sequence", "updated_at"])
    sync_parts(occ)
    occurrence_rescheduled.send(
        sender=Occurrence,
        occurrence=occ,
        previous_start=previous_start,
        previous_end=previous_end,
        actor=actor,
        reason=occ.status_reason,
    )
    _refresh(occurrence, occ)
    return occurrence


def _refresh(target, source):
    for field in ("start", "end", "status", "status_reason", "detached", "sequence", "updated_at"):
        setattr(target, field, getattr(source, field))


def page_has_registrations(page):
    return Registration.objects.filter(occurrence__page_id=page.pk).exists()


@transaction.atomic
def delete_page_occurrences(page):
    """Before a page is deleted: delete its occurrences, or refuse if any has registrations
    (registrations are history: cancel the occurrences and unpublish the page instead)."""
    if page_has_registrations(page):
        raise RegistrationError(
            _(
                "Des personnes sont inscrites à cette page : annulez ses dates et dépubliez-la plutôt que de la supprimer."
            ),
            "has_registrations",
        )
    Occurrence.objects.filter(page_id=page.pk).delete()


__all__ = [
    "OccurrenceSpec",
    "SyncResult",
    "cancel_occurrence",
    "delete_page_occurrences",
    "page_has_registrations",
    "reschedule_occurrence",
    "sync_occurrences",
]
