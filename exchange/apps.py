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

        # What « Mon compte » shows (members/account.py): followed sectors, frequency, my questions.
        from members.account import track_account_data

        from .models import Follow, Preference, Question

        for model, field in ((Follow, "user_id"), (Preference, "user_id"), (Question, "author_id")):
            track_account_data(model, lambda row, field=field: [getattr(row, field)])
