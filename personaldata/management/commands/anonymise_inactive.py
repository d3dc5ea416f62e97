from django.core.management.base import BaseCommand

from personaldata.services import anonymise_inactive, retention_cutoff


class Command(BaseCommand):
    help = "Anonymise les personnes sans activité depuis PERSONAL_DATA_RETENTION_DAYS (jamais l'équipe)."

    def handle(self, *args, **options):
        people, guests = anonymise_inactive()
        self.stdout.write(
            f"Anonymisées : {people} personne(s), {guests} invité(e)(s) sans activité depuis le "
            f"{retention_cutoff():%d/%m/%Y}."
        )
