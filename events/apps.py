from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    label = "events"
    verbose_name = _("Agenda")
    periodic_commands = ["extend_occurrences"]

    def ready(self):
        # Signals and hooks need the models, which load once the app registry is ready.
        from . import signals  # noqa: F401
        from .kinds import register_kinds

        register_kinds()

        # What « Mon compte » shows (members/account.py): the personal calendar's link.
        from members.account import track_account_data

        from .models import CalendarToken

        track_account_data(CalendarToken, lambda token: [token.user_id])
