"""Demo attendance: for every past occurrence that has confirmed registrations, a realistic
attendance sheet (mostly present, a few late, absent or excused), so the activity report and
« Mes attestations » show something. Generic over Occurrence rows (runs after the other demos);
existing rows are kept, so running it twice leaves the same rows."""

import hashlib

from django.utils import timezone

from registrations.models import Attendance, AttendanceStatus, OccurrencePart, Registration, RegistrationStatus
from registrations.schedule import sync_parts

# Out of 20: 16 present, 1 late, 2 absent, 1 excused.
PATTERN = (
    [AttendanceStatus.PRESENT] * 16
    + [AttendanceStatus.LATE]
    + [AttendanceStatus.ABSENT] * 2
    + [AttendanceStatus.EXCUSED]
)


def _status(email, part):
    digest = hashlib.sha256(f"{email.lower()}|{part.date}|{part.kind}".encode()).digest()
    return PATTERN[digest[0] % len(PATTERN)]


def load(demo):
    now = timezone.now()
    registrations = list(
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED, occurrence__end__lt=now, occurrence__status="scheduled"
        ).select_related("occurrence")
    )
    if not registrations:
        demo.step("Présences : aucune date passée avec des inscrits confirmés, rien à relever.")
        return
    occurrences = {r.occurrence_id: r.occurrence for r in registrations}
    for occurrence in occurrences.values():
        if not occurrence.parts.exists():
            sync_parts(occurrence)
    parts = {}
    for part in OccurrencePart.objects.filter(occurrence_id__in=occurrences).order_by("start"):
        parts.setdefault(part.occurrence_id, []).append(part)
    existing = set(Attendance.objects.filter(registration__in=registrations).values_list("registration_id", "part_id"))
    rows = [
        Attendance(registration=r, part=part, status=_status(r.email, part))
        for r in registrations
        for part in parts.get(r.occurrence_id, [])
        if (r.pk, part.pk) not in existing
    ]
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
    demo.step(
        f"Présences : {len(rows)} relevé(s) ajouté(s) sur {len(occurrences)} date(s) passée(s) "
        f"({len(existing)} déjà présents)."
    )
