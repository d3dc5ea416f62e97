from django.core.management.base import BaseCommand

from jointpurchases.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Rappelle les échéances des groupements de commandes (coordonnateurs, membres sans réponse). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Jours avant l'échéance (réglage par défaut sinon).")

    def handle(self, *args, days=None, **options):
        sent = send_due_reminders(days=days)
        self.stdout.write(f"{sent} rappel(s) de groupement envoyé(s).")
