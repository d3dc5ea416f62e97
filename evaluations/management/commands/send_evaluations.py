from django.core.management.base import BaseCommand

from evaluations import services
from evaluations.defaults import ensure_defaults


class Command(BaseCommand):
    help = (
        "Ouvre les évaluations dues (fin du dernier jour ; à froid trois mois après une formation), "
        "invite une fois chaque personne présente, clôt les évaluations échues et envoie leur synthèse. Idempotent."
    )

    def handle(self, *args, **options):
        ensure_defaults()  # the built-in questionnaires, until editors have their own
        opened = services.open_due_surveys()
        invited = services.send_invitations()
        closed = services.close_due_surveys()
        self.stdout.write(f"{opened} évaluation(s) ouverte(s), {invited} invitation(s), {closed} clôture(s).")
