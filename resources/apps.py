from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    label = "resources"
    verbose_name = _("Ressources")

    def ready(self):
        # Signals and hooks need the models, which load once the app registry is ready.
        from wagtail.signals import page_published

        from .models import MinutesPage
        from .services import restrict_new_minutes

        page_published.connect(restrict_new_minutes, sender=MinutesPage, dispatch_uid="resources_minutes_privacy")
