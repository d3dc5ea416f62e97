from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    label = "registrations"
    verbose_name = _("Inscriptions")
    periodic_commands = ["release_expired_holds", "send_reminders"]

    def ready(self):
        # Signals and hooks need the models, which load once the app registry is ready.
        from base.caching import content_changed

        from . import receivers  # noqa: F401
        from .signals import (
            occurrence_cancelled,
            occurrence_rescheduled,
            registration_cancelled,
            registration_confirmed,
        )

        # Seats left and dates are shown on cached pages: every change of the engine's facts
        # empties the page cache through base's mechanism (no app above has to listen).
        for signal in (registration_confirmed, registration_cancelled, occurrence_cancelled, occurrence_rescheduled):
            signal.connect(content_changed, dispatch_uid=f"registrations.content_changed.{id(signal)}")
