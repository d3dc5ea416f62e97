from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaseConfig(AppConfig):
    """The ground floor: what every app shares. Imports no other app of ours (DESIGN.md, « Layers »)."""

    name = "base"
    verbose_name = _("Socle")

    def ready(self):
        # Signals and hooks need the models, which load once the app registry is ready.
        from django.db.models.signals import post_delete, post_save

        from wagtail.models import Site

        from . import caching

        caching.connect_publication_signals()
        # The site lookup is shared from the page cache (base.sites): a changed site empties it.
        for signal in (post_save, post_delete):
            signal.connect(caching.content_changed, sender=Site, dispatch_uid=f"base.sites.{id(signal)}")
