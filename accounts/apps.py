from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Comptes et adhésion")

    def ready(self):
        # What « Mon compte » shows (members/account.py): « Mon organisation (référent) ».
        from members.account import track_account_data

        from .models import Referent

        track_account_data(Referent, lambda referent: [referent.user_id])
