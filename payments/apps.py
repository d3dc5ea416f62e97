from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Paiements et factures")
    # Seat holds whose card payment never came are released (the engine promotes the waiting list).
    periodic_commands = ["release_payment_holds"]

    def ready(self):
        from registrations.signals import registration_cancelled, registration_confirmed

        from . import services

        registration_cancelled.connect(services.on_registration_cancelled, dispatch_uid="payments_on_cancelled")
        registration_confirmed.connect(services.on_registration_confirmed, dispatch_uid="payments_on_confirmed")
