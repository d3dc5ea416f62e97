from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

EDITOR_CODENAMES = [
    "view_payment",
    "change_payment",
    "view_invoice",
    "change_invoice",
    "view_creditnote",
    "view_stripeevent",
    "view_refund",
]


def grant_editor_permissions(sender=None, **kwargs):
    """Editors see payments, invoices and credit notes, mark invoices paid and refund (after every
    migrate, idempotent)."""
    # This module loads before the models: they are imported when the signal runs.
    from django.contrib.auth.models import Group, Permission

    from members.models import EDITORS_GROUP

    group = Group.objects.filter(name=EDITORS_GROUP).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="payments", codename__in=EDITOR_CODENAMES)
        )


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Paiements et factures")
    # Pending card payments of the last days are checked against Stripe, in case a webhook was
    # missed (the engine's own job releases seat holds whose payment never came).
    periodic_commands = ["reconcile_payments"]

    def ready(self):
        # Signals and hooks need the models, which load once the app registry is ready.
        from registrations.signals import registration_cancelled, registration_confirmed

        from . import refunds

        registration_cancelled.connect(refunds.on_registration_cancelled, dispatch_uid="payments_on_cancelled")
        registration_confirmed.connect(refunds.on_registration_confirmed, dispatch_uid="payments_on_confirmed")
        post_migrate.connect(grant_editor_permissions, sender=self, dispatch_uid="payments_editor_permissions")

        # What « Mon compte » shows (members/account.py): invoices, credit notes, refunds.
        from members.account import track_account_data

        from .models import CreditNote, Invoice, Payment, Refund

        def payer(payment_id):
            return Payment.objects.filter(pk=payment_id).values("registration__user_id")

        track_account_data(Invoice, lambda invoice: payer(invoice.payment_id))
        track_account_data(Refund, lambda refund: payer(refund.payment_id))
        track_account_data(
            CreditNote, lambda note: Invoice.objects.filter(pk=note.invoice_id).values("payment__registration__user_id")
        )
