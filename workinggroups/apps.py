from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkinggroupsConfig(AppConfig):
    name = "workinggroups"
    label = "workinggroups"
    verbose_name = _("Groupes de travail")
