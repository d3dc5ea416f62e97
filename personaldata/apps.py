from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonalDataConfig(AppConfig):
    name = "personaldata"
    verbose_name = _("Données personnelles")
    periodic_commands = ["anonymise_inactive"]
