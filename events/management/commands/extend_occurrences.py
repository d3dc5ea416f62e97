from django.core.management.base import BaseCommand

from events.models import EventPage
from events.services import materialise


class Command(BaseCommand):
    help = "Prolonge l'horizon des occurrences des événements récurrents publiés (sans effet si rien ne change)."

    def handle(self, *args, **options):
        created = 0
        pages = EventPage.objects.live().exclude(repeat="").prefetch_related("exception_dates", "extra_dates")
        for page in pages.iterator(chunk_size=100):
            created += len(materialise(page).created)
        self.stdout.write(f"{created} occurrence(s) ajoutée(s).")
