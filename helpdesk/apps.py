from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = _("Assistance")

    def ready(self):
        # What « Mon compte » shows (members/account.py): « Mes questions ».
        from members.account import track_account_data

        from .models import Question

        track_account_data(Question, lambda question: [question.author_id])
