from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaseConfig(AppConfig):
    """The ground floor: what every app shares. Imports no other app of ours (DESIGN.md, « Layers »)."""

    name = "base"
    verbose_name = _("Socle")

    def ready(self):
        # Signals and hooks need the models, which load once the app registry is ready.
        from . import caching

        caching.connect_publication_signals()
