from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Libère les places réservées dont le paiement par carte n'est pas arrivé à temps. Idempotent."

    def handle(self, *args, **options):
        from registrations.services import release_expired_holds

        released = release_expired_holds()
        self.stdout.write(f"{released} réservation(s) expirée(s) libérée(s).")
