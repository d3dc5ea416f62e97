from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointPurchasesConfig(AppConfig):
    name = "jointpurchases"
    verbose_name = _("Groupements de commandes")
    # Deadline reminders to coordinators and to members who have not answered (run_periodic_jobs).
    periodic_commands = ["send_joint_purchase_reminders"]

    def ready(self):
        from wagtail.signals import page_published

        from .models import JointPurchasePage
        from .signals import sync_restriction

        page_published.connect(sync_restriction, sender=JointPurchasePage, dispatch_uid="jointpurchases_restriction")
