from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = _("Recherche")

    def ready(self):
        # Signals and hooks need the models, which load once the app registry is ready.
        from .fragments import connect_invalidation
        from .permissions import grant_editor_permissions

        connect_invalidation()

        post_migrate.connect(grant_editor_permissions, sender=self, dispatch_uid="library_editor_permissions")
