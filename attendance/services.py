"""Attendance: record presence per registration per part, QR check-in, walk-ins.

Attendance rows are the engine's ``registrations.Attendance`` (one per registration per part),
a fact separate from the registration's status.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import DurationField, ExpressionWrapper, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from base.errors import DomainError
from base.hours import hours
from base.qrcodes import qr_png as base_qr_png
from members.account import account_changed
from registrations.models import (
    Attendance,
    AttendanceStatus,
    OccurrencePart,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from registrations.models.attendance import ATTENDED_STATUSES, PART_DURATION, attended_exists
from registrations.services import register

CHECKIN_SALT = "attendance.checkin"


class AttendanceError(DomainError):
    """Attendance refused. See ``base.errors.DomainError``."""


# ------------------------------------------------------------------------------- recording


def record_attendance(registration, part, *, status, note="", actor, by_qr=False):
    """Record (or correct) whether ``registration``'s person attended ``part``."""
    if status not in AttendanceStatus.values:
        raise AttendanceError(_("Statut de présence inconnu."), "invalid_status", "status")
    if part.occurrence_id != registration.occurrence_id:
        raise AttendanceError(
            _("Cette demi-journée ou séance n'appartient pas à la date de l'inscription."), "wrong_part", "part"
        )
    if registration.status != RegistrationStatus.CONFIRMED:
        raise AttendanceError(
            _("Cette personne n'est pas inscrite (inscription non confirmée) à cette date."),
            "not_registered",
            "registration",
        )
    attendance, _created = Attendance.objects.update_or_create(
        registration=registration,
        part=part,
        defaults={
            "status": status,
            "note": (note or "")[:300],
            "recorded_by": actor if getattr(actor, "is_authenticated", False) else None,
            "checked_in_by_qr": by_qr,
        },
    )
    return attendance


@transaction.atomic
def mark_all_present(part, *, actor):
    """Mark every confirmed registration present for ``part`` where nothing is recorded yet
    (what an editor already recorded is kept). Returns the number of rows created."""
    missing = (
        Registration.objects.confirmed()
        .filter(occurrence_id=part.occurrence_id)
        .exclude(attendances__part=part)
        .values_list("pk", flat=True)
    )
    recorder = actor if getattr(actor, "is_authenticated", False) else None
    rows = [
        Attendance(registration_id=pk, part=part, status=AttendanceStatus.PRESENT, recorded_by=recorder)
        for pk in missing
    ]
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
    account_changed(Registration.objects.filter(pk__in=[row.registration_id for row in rows]).values("user_id"))
    return len(rows)


def confirmed_for_part(part):
    """Confirmed registrations of the part's occurrence with their attendance for that part
    (attributes ``attendance_status`` and ``attendance_note``; ``has_attended`` any part),
    in two queries."""
    registrations = list(
        Registration.objects.confirmed()
        .filter(occurrence_id=part.occurrence_id)
        .annotate(has_attended=attended_exists())
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )
    recorded = {a.registration_id: a for a in Attendance.objects.filter(part=part)}
    for registration in registrations:
        attendance = recorded.get(registration.pk)
        registration.attendance_status = attendance.status if attendance else ""
        registration.attendance_note = attendance.note if attendance else ""
        registration.attendance_by_qr = attendance.checked_in_by_qr if attendance else False
    return registrations


# ----------------------------------------------------------------------------- QR check-in


def checkin_token(registration):
    return signing.dumps({"r": registration.pk}, salt=CHECKIN_SALT, compress=True)


def checkin_url(registration):
    """The absolute URL of the admin check-in view for ``registration`` (what the QR encodes)."""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return base + reverse("attendance_admin:checkin", args=[checkin_token(registration)])


def qr_png(registration, *, scale=6):
    return base_qr_png(checkin_url(registration), scale=scale, border=2)


def registration_from_token(token):
    try:
        data = signing.loads(token, salt=CHECKIN_SALT)
        pk = int(data["r"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise AttendanceError(_("Code QR invalide ou falsifié : il n'a pas été émis par RESECO."), "forged") from None
    registration = Registration.objects.select_related("occurrence__page", "organisation").filter(pk=pk).first()
    if registration is None:
        raise AttendanceError(_("Ce code QR ne correspond à aucune inscription."), "unknown")
    return registration


def current_part(occurrence, now):
    """The part of ``occurrence`` to check people in for at ``now``: today's part still running
    or to come (the afternoon after the morning), else today's last part; None if not today."""
    today = timezone.localdate(now)
    parts = list(OccurrencePart.objects.filter(occurrence=occurrence, date=today).order_by("start"))
    if not parts:
        return None
    return next((p for p in parts if p.end > now), parts[-1])


@dataclass
class CheckIn:
    registration: Registration
    part: OccurrencePart
    attendance: Attendance
    already: bool


def _lock_scans_of(registration):
    """Serialise simultaneous scans of one person's code (two phones at the door): the attendance
    row may not exist yet, so the lock is taken on the registration."""
    return Registration.objects.select_for_update().get(pk=registration.pk)


def check_in(token, *, actor, now=None):
    """Mark the person of the signed ``token`` present for the current part. Idempotent: a
    second scan returns ``already=True`` and records nothing more."""
    now = now or timezone.now()
    registration = registration_from_token(token)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise AttendanceError(
            _("L'inscription de %(name)s n'est pas confirmée (%(status)s).")
            % {"name": registration.full_name, "status": registration.get_status_display()},
            "not_registered",
        )
    part = current_part(registration.occurrence, now)
    if part is None:
        raise AttendanceError(
            _("%(name)s est inscrit·e pour le %(date)s, pas pour aujourd'hui.")
            % {
                "name": registration.full_name,
                "date": f"{timezone.localtime(registration.occurrence.start):%d/%m/%Y}",
            },
            "not_today",
        )
    with transaction.atomic():
        _lock_scans_of(registration)
        existing = Attendance.objects.filter(registration=registration, part=part).first()
        if existing is not None and existing.status in ATTENDED_STATUSES:
            return CheckIn(registration, part, existing, already=True)
        attendance = record_attendance(registration, part, status=AttendanceStatus.PRESENT, actor=actor, by_qr=True)
    return CheckIn(registration, part, attendance, already=False)


# -------------------------------------------------------------------------------- walk-ins


def add_walk_in(occurrence, *, first_name, last_name, email, organisation=None, organisation_name="", actor):
    """Register someone who came without registering (source WALK_IN, confirmed), on the spot
    or afterwards from the paper sign-in sheet (an ended date is allowed).

    Raises the engine's RegistrationError (``message``, ``code``) when refused, e.g. someone
    already registered."""
    guest = {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "email": email.strip(),
        "organisation": organisation,
        "organisation_name": organisation_name,
    }
    return register(occurrence, guest=guest, source=RegistrationSource.WALK_IN, actor=actor)


# ---------------------------------------------------------------------------- certificates


def attended_hours(registration):
    """Hours actually attended: the sum of the attended parts' durations (one query)."""
    total = registration.attendances.filter(status__in=ATTENDED_STATUSES).aggregate(total=Sum(PART_DURATION))
    return hours(total["total"])


def certificate_registrations(user=None, *, organisation=None):
    """The person's (or, for its référents, the organisation's) registrations with attendance
    recorded (present or late at least once), each annotated with ``attended`` (a timedelta):
    what « Mes attestations » lists."""
    owner = Q(user=user) if organisation is None else Q(organisation=organisation)
    return (
        Registration.objects.confirmed()
        .filter(owner)
        .annotate(has_attended=attended_exists())
        .filter(has_attended=True)
        .annotate(
            attended=Sum(
                ExpressionWrapper(
                    F("attendances__part__end") - F("attendances__part__start"), output_field=DurationField()
                ),
                filter=Q(attendances__status__in=ATTENDED_STATUSES),
            )
        )
        .select_related("occurrence__page")
        .order_by("-occurrence__start")
    )
