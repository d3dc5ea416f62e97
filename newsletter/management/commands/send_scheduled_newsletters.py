from django.core.management.base import BaseCommand

from newsletter.services import start_due_sendings


class Command(BaseCommand):
    help = "Lance les envois de la lettre programmés et reprend ceux qu'un processus arrêté a laissés. Idempotent."

    def handle(self, *args, **options):
        started = start_due_sendings()
        self.stdout.write(f"Envois de la lettre lancés ou repris : {len(started)}")
