from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from twofactor.services import reset_second_factor


class Command(BaseCommand):
    help = (
        "Retire la double authentification d'une personne (téléphone perdu, codes de secours épuisés) : "
        "elle en configurera une nouvelle à sa prochaine connexion."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="Adresse électronique du compte.")

    def handle(self, *args, email, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"Aucun compte pour l'adresse {email}.")
        removed = reset_second_factor(user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Double authentification réinitialisée pour {user.email} ({removed} appareil(s) retiré(s)) : "
                "nouvelle configuration à la prochaine connexion."
            )
        )
