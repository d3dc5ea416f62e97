from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("La lettre RESECO")
    periodic_commands = ["send_scheduled_newsletters"]
