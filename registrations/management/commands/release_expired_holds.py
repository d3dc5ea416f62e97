from django.core.management.base import BaseCommand

from registrations.services import fill_free_seats, release_expired_holds


class Command(BaseCommand):
    help = (
        "Libère les places retenues sans paiement à temps et les inscriptions jamais confirmées, puis "
        "donne les places libres à la liste d'attente. Idempotent."
    )

    def handle(self, *args, **options):
        released = release_expired_holds()
        self.stdout.write(f"{released} réservation(s) libérée(s).")
        promoted = fill_free_seats()
        if promoted:
            self.stdout.write(f"{promoted} personne(s) sortie(s) de la liste d'attente.")
