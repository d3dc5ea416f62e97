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

        from . import receivers
        from .signals import (
            occurrence_cancelled,
            occurrence_rescheduled,
            registration_cancelled,
            registration_confirmed,
        )

        # Dates are shown on every cached listing and feed: cancelling or moving one empties the
        # page cache through base's mechanism (no app above has to listen). A seat taken or freed
        # changes only the pages that show seats: the owner page and what apps tag "seats".
        for signal in (occurrence_cancelled, occurrence_rescheduled):
            signal.connect(content_changed, dispatch_uid=f"registrations.content_changed.{id(signal)}")
        for signal in (registration_confirmed, registration_cancelled):
            signal.connect(receivers.seats_changed, dispatch_uid=f"registrations.seats_changed.{id(signal)}")

        # What « Mon compte » shows (members/account.py): registrations, positions, dates moved.
        from members.account import account_changed, track_account_data

        from .account import people_shown, registrants
        from .models import Registration

        track_account_data(Registration, people_shown)
        occurrence_rescheduled.connect(
            lambda sender, occurrence, **kwargs: account_changed(registrants(occurrence.pk)),
            weak=False,
            dispatch_uid="registrations.account_changed.rescheduled",
        )
