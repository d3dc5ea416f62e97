"""Telling registrants that their date changed: cancelled (their registrations with it) or
moved, and an editor's message to everyone registered. The facts change at once, in a number of
queries that does not grow with the people; what each person is sent (e-mails, and the
``registration_cancelled`` receivers: refunds, credit notes) runs in background tasks."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail import hooks

from members.account import account_changed

from . import signals, tasks
from .models import Registration, RegistrationChange, RegistrationStatus
from .services import lock_occurrence, send_on_commit

S = RegistrationStatus


def tell_occurrence_cancelled(occurrence, *, reason="", actor=None):
    """The occurrence was cancelled: every active registration is cancelled at once, in a fixed
    number of queries whatever their number; then, in the background, each person's cancellation
    is settled (``registration_cancelled``: refunds, credit notes) and told with the CANCEL .ics
    and the reason."""
    with transaction.atomic():
        lock_occurrence(occurrence.pk)
        rows = list(
            Registration.objects.filter(occurrence=occurrence).active().select_for_update().values_list("pk", "status")
        )
        if not rows:
            return 0
        now = timezone.now()
        Registration.objects.filter(pk__in=[pk for pk, _status in rows]).update(
            status=S.CANCELLED, cancelled_at=now, hold_expires_at=None, updated_at=now
        )
        account_changed(Registration.objects.filter(pk__in=[pk for pk, _status in rows]).values("user_id"))
        actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
        note = str(reason or _("date annulée"))[:300]
        RegistrationChange.objects.bulk_create(
            RegistrationChange(
                registration_id=pk, from_status=status, to_status=S.CANCELLED, changed_by_id=actor_id, note=note
            )
            for pk, status in rows
        )
        _enqueue_on_commit("settle_cancellations", rows, str(reason or ""), actor_id)
    return len(rows)


def settle_cancellation(registration, *, previous_status, reason="", actor=None):
    """After ``tell_occurrence_cancelled``: what a cancellation sets off for one person (the
    ``registration_cancelled`` receivers, then the e-mail). Run by the background task."""
    with transaction.atomic():
        signals.registration_cancelled.send(
            sender=Registration, registration=registration, previous_status=previous_status, actor=actor
        )
    send_on_commit(registration, "occurrence_cancelled", {"reason": reason} if reason else None)


def tell_occurrence_moved(occurrence, *, previous_start=None, reason=""):
    """The occurrence moved: everyone still registered receives one e-mail with the old and new
    times, the reason and the updated .ics (REQUEST), sent in the background."""
    ids = list(Registration.objects.filter(occurrence=occurrence).active().values_list("pk", flat=True))
    if ids:
        extra = {"previous_start": previous_start.isoformat() if previous_start else "", "reason": str(reason or "")}
        _enqueue_on_commit("send_registration_emails", ids, "occurrence_moved", extra)
    return len(ids)


def _enqueue_on_commit(task_name, *args):
    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.enqueue(*args))


def message_registrants(occurrence, *, subject, body, include_waitlisted=False):
    """An editor writes to everyone registered (confirmed or selected; the waiting list too if
    asked). One e-mail each, sent in the background. Returns how many are enqueued."""
    statuses = [S.CONFIRMED, S.SELECTED] + ([S.WAITLISTED] if include_waitlisted else [])
    registrations = list(Registration.objects.filter(occurrence=occurrence, status__in=statuses))
    with transaction.atomic():
        for registration in registrations:
            send_on_commit(registration, "message", {"subject": subject, "body": body})
    return len(registrations)


def cancellation_consequences(registration):
    """What cancelling ``registration`` now would do, in French sentences, shown before the
    person confirms (the e-mail's link and « Mon compte » alike). The engine says what happens
    to the seat; owners add theirs through the ``registration_cancellation_notice`` hooks
    (payments: the late-cancellation rule, a refund or a credit note)."""
    if registration.status == S.WAITLISTED:
        lines = [_("Vous quittez la liste d'attente.")]
    elif registration.status in (S.APPLIED, S.PENDING_CONFIRMATION):
        lines = [_("Votre candidature est retirée.")] if registration.source == "supplier" else []
    else:
        lines = [_("Votre place est libérée : elle sera proposée à la personne suivante sur la liste d'attente.")]
    for fn in hooks.get_hooks("registration_cancellation_notice"):
        lines.extend(fn(registration) or [])
    return lines
