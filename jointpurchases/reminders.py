"""Reminders before each deadline of a grouped purchase's calendar.

To the coordinating bodies' référents they go automatically: they concern nobody else, and
they carry the link to the screen of the reminders to members.

To member bodies that have not answered (no declaration before the call closes; interested
but not signed before the convention's deadline) they go only once an editor or the
coordinator has seen the list of those bodies (names, contacts, how many) and confirmed it:
the confirmation records one row per body seen, and the periodic job (or the confirmation
itself) sends the confirmed rows not sent yet, to the bodies that still have not answered.

Each reminder is recorded before its e-mail is enqueued (on commit), so running the job twice
sends nothing more; a deadline that moves gets its own reminder."""

import datetime
import hashlib
import hmac
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Referent
from members.models import Organisation

from . import conf, tasks
from .models import MEMBER_PHASES, PHASE_FIELDS, Participation, ParticipationStatus, Phase, ReminderKind, ReminderSent
from .queries import member_contacts, purchases
from .services import JointPurchaseError, may_coordinate


def _deadlines(purchase, today, days):
    horizon = today + datetime.timedelta(days=days)
    for phase, name in PHASE_FIELDS:
        deadline = getattr(purchase, name)
        if deadline and today <= deadline <= horizon:
            yield phase, deadline


def _due(today, days):
    for purchase in purchases().prefetch_related("co_coordinators"):
        for phase, deadline in _deadlines(purchase, today, days):
            yield purchase, phase, deadline


def members_to_remind(purchase, phase, today):
    """The member bodies that have not answered for this phase (a queryset, by name)."""
    if phase == Phase.INTEREST:
        answered = Participation.objects.filter(purchase=purchase).values("organisation_id")
        return (
            Organisation.objects.members_on(today)
            .filter(pk__in=Referent.objects.values("organisation_id"))
            .exclude(pk__in=answered)
            .exclude(pk__in=purchase.coordinator_ids())
            .order_by("name", "pk")
        )
    if phase == Phase.CONVENTION:
        interested = Participation.objects.filter(purchase=purchase, status=ParticipationStatus.INTERESTED)
        return Organisation.objects.filter(pk__in=interested.values("organisation_id")).order_by("name", "pk")
    return Organisation.objects.none()


@dataclass
class DueReminder:
    """A member reminder due soon, as the confirmation screen shows it."""

    phase: str
    deadline: datetime.date
    bodies: list  # (organisation, [addresses]) still to confirm
    confirmed: list  # ReminderSent rows already confirmed for this deadline

    @property
    def label(self):
        return Phase(self.phase).label

    @property
    def count(self):
        return len(self.bodies)

    @property
    def fingerprint(self):
        """Names the list as shown: a confirmation applies to this very list, not to a later one."""
        ids = ",".join(str(org.pk) for org, _addresses in self.bodies)
        return hashlib.sha256(f"{self.phase}|{self.deadline}|{ids}".encode()).hexdigest()


def due_member_reminders(purchase, *, today=None, days=None):
    """The member reminders of ``purchase`` due within the reminder window: who would get them
    (a fixed number of queries per phase, whatever the number of bodies)."""
    today = today or timezone.localdate()
    days = conf.REMINDER_DAYS if days is None else days
    due = []
    for phase, deadline in _deadlines(purchase, today, days):
        if phase not in MEMBER_PHASES:
            continue
        confirmed = list(
            ReminderSent.objects.filter(
                purchase=purchase, phase=phase, deadline=deadline, kind=ReminderKind.MEMBER
            ).select_related("organisation", "confirmed_by")
        )
        seen = {row.organisation_id for row in confirmed}
        orgs = [org for org in members_to_remind(purchase, phase, today) if org.pk not in seen]
        contacts = member_contacts(purchase, [org.pk for org in orgs])
        due.append(DueReminder(phase, deadline, [(org, contacts[org.pk]) for org in orgs], confirmed))
    return due


def confirm_reminders(purchase, *, phase, deadline, fingerprint, actor, today=None):
    """The editor or coordinator, having seen the list (``fingerprint`` names it), lets the
    reminder of ``phase`` go to its bodies. A list that changed since it was shown (a body
    answered, another joined) is refused (code « changed »). Returns how many were sent."""
    today = today or timezone.localdate()
    if not may_coordinate(actor, purchase):
        raise JointPurchaseError(_("Réservé au coordonnateur du groupement et à l'équipe."), code="forbidden")
    due = {(r.phase, r.deadline): r for r in due_member_reminders(purchase, today=today)}
    reminder = due.get((phase, deadline))
    if reminder is None:
        raise JointPurchaseError(
            _("Ce rappel n'est pas (ou plus) à envoyer : l'échéance a changé ou est passée."), code="not_due"
        )
    if not reminder.bodies:
        raise JointPurchaseError(_("Aucune collectivité à relancer pour cette échéance."), code="empty")
    if not hmac.compare_digest(str(fingerprint), reminder.fingerprint):
        raise JointPurchaseError(
            _("La liste a changé depuis son affichage : vérifiez-la de nouveau avant de confirmer."), code="changed"
        )
    wanted = {org.pk for org, _addresses in reminder.bodies}
    now = timezone.now()
    ReminderSent.objects.bulk_create(
        [
            ReminderSent(
                purchase=purchase,
                phase=phase,
                deadline=deadline,
                kind=ReminderKind.MEMBER,
                organisation_id=pk,
                confirmed_at=now,
                confirmed_by=actor,
            )
            for pk in sorted(wanted)
        ],
        ignore_conflicts=True,
    )
    return send_confirmed_reminders(today=today)


def send_confirmed_reminders(*, today=None):
    """Sends, once each, the confirmed member reminders not sent yet whose deadline has not
    passed, to the bodies that still have not answered. Returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    with transaction.atomic():
        rows = list(
            ReminderSent.objects.select_for_update(skip_locked=True)
            .filter(kind=ReminderKind.MEMBER, confirmed_at__isnull=False, sent_at__isnull=True, deadline__gte=today)
            .select_related("purchase")
        )
        still = {}
        for row in rows:
            key = (row.purchase_id, row.phase)
            if key not in still:
                still[key] = set(members_to_remind(row.purchase, row.phase, today).values_list("pk", flat=True))
            if row.organisation_id not in still[key]:
                continue  # answered since the confirmation: no reminder
            ReminderSent.objects.filter(pk=row.pk).update(sent_at=timezone.now())
            _enqueue(row.purchase_id, row.phase, row.deadline, ReminderKind.MEMBER, row.organisation_id)
            sent += 1
    return sent


def _enqueue(purchase_id, phase, deadline, kind, organisation_id):
    args = (purchase_id, str(phase), deadline.isoformat(), str(kind), organisation_id)
    transaction.on_commit(lambda: tasks.send_reminder.enqueue(*args))


def send_due_reminders(*, today=None, days=None):
    """The periodic job: the coordinators' reminders due today, and the confirmed member
    reminders. Returns how many were sent (0 on a second run)."""
    today = today or timezone.localdate()
    days = conf.REMINDER_DAYS if days is None else days
    sent = 0
    for purchase, phase, deadline in list(_due(today, days)):
        # Automatic: a reminder of its own deadlines to the coordinator affects nobody else.
        for organisation_id in sorted(purchase.coordinator_ids()):
            with transaction.atomic():
                _reminder, created = ReminderSent.objects.get_or_create(
                    purchase=purchase,
                    phase=phase,
                    deadline=deadline,
                    kind=ReminderKind.COORDINATOR,
                    organisation_id=organisation_id,
                    defaults={"sent_at": timezone.now()},
                )
                if created:
                    _enqueue(purchase.pk, phase, deadline, ReminderKind.COORDINATOR, organisation_id)
                    sent += 1
    return sent + send_confirmed_reminders(today=today)
