from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = _("Entraide")
    periodic_commands = ["send_exchange_digests"]

    def ready(self):
        from wagtail.signals import page_published

        from .models import ExchangeIndexPage
        from .services import keep_members_only

        page_published.connect(keep_members_only, sender=ExchangeIndexPage, dispatch_uid="exchange_members_only")
