from django.core.management.base import BaseCommand

from members.services import sync_all_memberships


class Command(BaseCommand):
    help = "Met le groupe « Membres » en accord avec les dates d'adhésion (tâche périodique, idempotente)."

    def handle(self, *args, **options):
        added, removed = sync_all_memberships()
        self.stdout.write(f"Membres ajoutés : {added}, retirés : {removed}")
