from django.core.management.base import BaseCommand

from exchange.digests import send_digests


class Command(BaseCommand):
    help = "Envoie les récapitulatifs quotidiens et hebdomadaires de l'entraide (sans risque s'il est lancé deux fois)."

    def handle(self, *args, **options):
        count = send_digests()
        if options["verbosity"] > 1:
            self.stdout.write(f"{count} récapitulatif(s) de l'entraide envoyé(s).")
