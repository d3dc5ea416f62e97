from django.core.management.base import BaseCommand

from registrations.services import release_expired_holds


class Command(BaseCommand):
    help = "Libère les places retenues sans paiement à temps et les inscriptions jamais confirmées. Idempotent."

    def handle(self, *args, **options):
        released = release_expired_holds()
        self.stdout.write(f"{released} réservation(s) libérée(s).")
