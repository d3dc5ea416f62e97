from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Formations")

    def ready(self):
        # Signals and hooks need the models, which load once the app registry is ready.
        from wagtail.signals import page_published

        from base.caching import SEATS, tag_path
        from registrations.kinds import register_kind

        from .models import OCCURRENCE_KIND, TrainingPage
        from .services import on_page_published

        page_published.connect(on_page_published, sender=TrainingPage, dispatch_uid="trainings_materialise_runs")
        tag_path("/formations/", SEATS)  # the catalogue shows each run's seats left
        register_kind(OCCURRENCE_KIND, _("Formation"), plural=_("Sessions de formation"))
