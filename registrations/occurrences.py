"""Occurrence lifecycle: materialise an owner page's occurrence rows, cancel or move one.

The engine knows no page type. The contract with an owner page (an event, a training…): the page
class has ``occurrence_kind`` and ``occurrence_specs(now=None)``, the list of dates it wants
(``OccurrenceSpec``); the engine keeps the rows in step on publish (``materialise``). Each row
keeps its identity through edits (an owner's key, or its place in the series), so an edit moves
or updates dates and cancels only those that left the series; dates that have started never
change. Editors cancel or move one occurrence with ``cancel_occurrence`` /
``reschedule_occurrence``, which send the engine's signals.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import RegistrationError
from .models import Occurrence, OccurrenceStatus, Registration, ScheduleNote
from .schedule import sync_parts
from .signals import occurrence_cancelled, occurrence_rescheduled
from .sync import (
    Impact,
    OccurrenceSpec,
    SyncPlan,
    SyncResult,
    apply_plan,
    impact,
    plan_sync,
    set_cancelled,
    sync_occurrences,
)


@transaction.atomic
def materialise(page, *, now=None):
    """Keep the rows of an owner page in step with its live version (none when it is not live).
    The note the editor confirmed for the published revision gives the reason registrants read."""
    specs = page.occurrence_specs(now=now) if page.live else []
    note = take_schedule_note(page)
    return sync_occurrences(
        page,
        specs,
        kind=page.occurrence_kind,
        now=now,
        reason=note.reason if note else "",
        actor=note.actor if note else None,
    )


def preview(page, *, now=None):
    """What publishing this (edited, unsaved) version of an owner page would do to people."""
    plan = plan_sync(page, page.occurrence_specs(now=now), kind=page.occurrence_kind, now=now)
    return impact(plan)


def is_owner(page_class):
    """Does this page type own occurrences (the engine's contract)?"""
    return callable(getattr(page_class, "occurrence_specs", None)) and hasattr(page_class, "occurrence_kind")


def leave_schedule_note(page, *, revision, reason, actor=None):
    """Keep the editor's reason until ``revision`` is published (now, or when scheduled)."""
    ScheduleNote.objects.filter(page_id=page.pk, revision=revision).delete()
    return ScheduleNote.objects.create(
        page_id=page.pk,
        revision=revision,
        reason=(reason or "").strip()[:500],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def take_schedule_note(page):
    """The note left for the page's live revision, removed once read (older ones with it)."""
    revision_id = getattr(page, "live_revision_id", None)
    if not revision_id:
        return None
    note = (
        ScheduleNote.objects.filter(page_id=page.pk, revision_id=revision_id)
        .select_related("actor")
        .order_by("-pk")
        .first()
    )
    ScheduleNote.objects.filter(page_id=page.pk, revision_id__lte=revision_id).delete()
    return note


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
    set_cancelled(occ, reason=reason)
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
    if (
        Occurrence.objects.filter(page_id=occ.page_id, start=start, status=OccurrenceStatus.SCHEDULED)
        .exclude(pk=occ.pk)
        .exists()
    ):
        raise RegistrationError(_("Une autre date de cette page commence déjà à cette heure."), "start_taken")
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
    "Impact",
    "OccurrenceSpec",
    "SyncPlan",
    "SyncResult",
    "apply_plan",
    "impact",
    "is_owner",
    "leave_schedule_note",
    "materialise",
    "preview",
    "take_schedule_note",
    "plan_sync",
    "cancel_occurrence",
    "delete_page_occurrences",
    "page_has_registrations",
    "reschedule_occurrence",
    "sync_occurrences",
]
