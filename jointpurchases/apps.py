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

        # What « Mon compte » shows (members/account.py): the body's answers, its proposals.
        from wagtail.models import WorkflowState

        from accounts.models import Referent
        from members.account import track_account_data
        from members.models import User

        from .models import Participation

        def referents_of_coordinator(page_id):
            coordinator = JointPurchasePage.objects.filter(pk=page_id).values("coordinator_id")
            return Referent.objects.filter(organisation_id__in=coordinator).values("user_id")

        track_account_data(
            Participation, lambda row: User.objects.filter(organisation_id=row.organisation_id).values("pk")
        )
        track_account_data(JointPurchasePage, lambda page: referents_of_coordinator(page.pk))
        track_account_data(WorkflowState, lambda state: referents_of_coordinator(int(state.object_id)))
