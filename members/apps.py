from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Membres et organisations")
    periodic_commands = ["sync_memberships"]

    def ready(self):
        # What « Mon compte » shows (members/account.py): « Mon entreprise ».
        from .account import track_account_data
        from .models import SupplierClaim

        track_account_data(SupplierClaim, lambda claim: [claim.user_id])
