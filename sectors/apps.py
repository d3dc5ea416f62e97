from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def index_sectors(sender=None, using="default", **kwargs):
    """post_migrate receiver: the network's sectors come from a data migration, whose historical
    models send no signal, so the search index (the sector chooser's search) never saw them.
    Index them all after every migrate: a handful of rows, idempotent."""
    # This module loads before the models: they are imported when the signal runs.
    from wagtail.search.backends import get_search_backends

    from .models import Sector

    sectors = list(Sector.objects.using(using).all())
    if not sectors:
        return
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(Sector, sectors)


class SectorsConfig(AppConfig):
    name = "sectors"
    label = "sectors"
    verbose_name = _("Secteurs")

    def ready(self):
        # post_migrate is sent once per app after every migration has run (wagtailsearch's tables
        # exist by then): listening to this app's alone indexes once, not once per installed app.
        post_migrate.connect(index_sectors, sender=self, dispatch_uid="sectors_search_index")
        # Sector names show on cached pages and fragments (event tags, the agenda's filters).
        # Imported here: this module loads before the apps' models are ready.
        from base.caching import content_changed

        from .models import Sector

        for signal in (post_save, post_delete):
            signal.connect(content_changed, sender=Sector, dispatch_uid=f"sectors.content_changed.{id(signal)}")
