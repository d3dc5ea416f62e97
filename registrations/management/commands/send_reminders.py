import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from registrations import conf
from registrations.models import OccurrenceStatus, Registration, RegistrationStatus
from registrations.services import send_on_commit


class Command(BaseCommand):
    help = "Envoie un rappel aux inscrits quelques jours avant la date (une seule fois par inscription)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Jours avant le début (réglage par défaut sinon).")

    def handle(self, *args, days=None, **options):
        days = conf.reminder_days() if days is None else days
        now = timezone.now()
        due = Registration.objects.filter(
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.SELECTED],
            reminder_sent_at__isnull=True,
            occurrence__status=OccurrenceStatus.SCHEDULED,
            occurrence__start__gt=now,
            occurrence__start__lte=now + datetime.timedelta(days=days),
        )
        sent = 0
        with transaction.atomic():
            # Marked in the same transaction: a second run finds nothing left to send.
            for registration in due.select_for_update(skip_locked=True):
                Registration.objects.filter(pk=registration.pk).update(reminder_sent_at=now)
                send_on_commit(registration, "reminder")
                sent += 1
        self.stdout.write(f"{sent} rappel(s) envoyé(s).")
