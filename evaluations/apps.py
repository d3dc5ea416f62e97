from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Évaluations")
    # Run by home's ``run_periodic_jobs``, in INSTALLED_APPS order.
    periodic_commands = ["send_evaluations"]
