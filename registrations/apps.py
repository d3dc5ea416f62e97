from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    label = "registrations"
    verbose_name = _("Inscriptions")
    periodic_commands = ["release_expired_holds", "send_reminders"]

    def ready(self):
        from . import receivers  # noqa: F401
