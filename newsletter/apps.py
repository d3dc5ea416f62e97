from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("La lettre RESECO")
    periodic_commands = ["send_scheduled_newsletters"]

    def ready(self):
        # What « Mon compte » shows (members/account.py): the preferences form.
        from django.db.models.signals import m2m_changed

        from members.account import account_changed, track_account_data

        from .models import Subscriber

        track_account_data(Subscriber, lambda subscriber: [subscriber.user_id])
        m2m_changed.connect(
            lambda sender, instance, **kwargs: account_changed([getattr(instance, "user_id", None)]),
            sender=Subscriber.sectors.through,
            weak=False,
            dispatch_uid="newsletter.account_changed.sectors",
        )
