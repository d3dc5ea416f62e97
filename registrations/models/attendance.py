from django.conf import settings
from django.db import models
from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef
from django.utils.translation import gettext_lazy as _


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("présent")
    LATE = "late", _("en retard")
    ABSENT = "absent", _("absent")
    EXCUSED = "excused", _("excusé")


# Statuses that count as having attended a part (for hours and attendance rates).
ATTENDED_STATUSES = [AttendanceStatus.PRESENT, AttendanceStatus.LATE]


class Attendance(models.Model):
    """Whether a registered person attended one part (half-day or session) of an occurrence.

    A fact separate from the registration's status: one row per registration per part."""

    registration = models.ForeignKey("registrations.Registration", on_delete=models.CASCADE, related_name="attendances")
    part = models.ForeignKey("registrations.OccurrencePart", on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(_("présence"), max_length=16, choices=AttendanceStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("relevée le"), auto_now=True)
    checked_in_by_qr = models.BooleanField(_("par QR code"), default=False)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(fields=["registration", "part"], name="attendance_once_per_part"),
        ]

    def __str__(self):
        return f"{self.registration.full_name} — {self.part}: {self.get_status_display()}"


# The duration of an attendance row's part: summed, the hours attended.
PART_DURATION = ExpressionWrapper(F("part__end") - F("part__start"), output_field=DurationField())


def attended_exists():
    """For a queryset of registrations: whether the person attended (present or late) at least one part."""
    return Exists(Attendance.objects.filter(registration=OuterRef("pk"), status__in=ATTENDED_STATUSES))
