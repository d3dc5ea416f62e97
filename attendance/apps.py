from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Présences")

    def ready(self):
        # What « Mon compte » shows (members/account.py): attestations follow attendance.
        from members.account import track_account_data
        from registrations.models import Attendance, Registration

        track_account_data(
            Attendance, lambda row: Registration.objects.filter(pk=row.registration_id).values("user_id")
        )
