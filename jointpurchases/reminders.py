"""Reminders before each deadline of a grouped purchase's calendar: to the coordinating bodies'
référents, and to member bodies that have not answered (no declaration before the call closes;
interested but not signed before the convention's deadline). Each is recorded, so running the
job twice sends nothing more; a deadline that moves gets its own reminder."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Referent
from members.models import Organisation

from . import conf, tasks
from .models import PHASE_FIELDS, Participation, ParticipationStatus, Phase, ReminderKind, ReminderSent
from .queries import purchases


def _due(today, days):
    horizon = today + datetime.timedelta(days=days)
    for purchase in purchases().prefetch_related("co_coordinators"):
        for phase, name in PHASE_FIELDS:
            deadline = getattr(purchase, name)
            if deadline and today <= deadline <= horizon:
                yield purchase, phase, deadline


def _members_to_remind(purchase, phase, today):
    if phase == Phase.INTEREST:
        answered = Participation.objects.filter(purchase=purchase).values("organisation_id")
        with_referents = Referent.objects.values("organisation_id")
        return list(
            Organisation.objects.members_on(today)
            .filter(pk__in=with_referents)
            .exclude(pk__in=answered)
            .exclude(pk__in=purchase.coordinator_ids())
            .values_list("pk", flat=True)
        )
    if phase == Phase.CONVENTION:
        return list(
            Participation.objects.filter(purchase=purchase, status=ParticipationStatus.INTERESTED).values_list(
                "organisation_id", flat=True
            )
        )
    return []


def send_due_reminders(*, today=None, days=None):
    """Send the reminders due today; returns how many were sent (0 on a second run)."""
    today = today or timezone.localdate()
    days = conf.REMINDER_DAYS if days is None else days
    sent = 0
    for purchase, phase, deadline in list(_due(today, days)):
        targets = [(ReminderKind.COORDINATOR, pk) for pk in sorted(purchase.coordinator_ids())]
        targets += [(ReminderKind.MEMBER, pk) for pk in _members_to_remind(purchase, phase, today)]
        for kind, organisation_id in targets:
            with transaction.atomic():
                _reminder, created = ReminderSent.objects.get_or_create(
                    purchase=purchase, phase=phase, deadline=deadline, kind=kind, organisation_id=organisation_id
                )
                if created:
                    args = (purchase.pk, str(phase), deadline.isoformat(), str(kind), organisation_id)
                    transaction.on_commit(lambda args=args: tasks.send_reminder.enqueue(*args))
                    sent += 1
    return sent
