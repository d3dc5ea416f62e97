from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Lance les tâches périodiques (publication programmée, adhésions, rappels…). Idempotent."

    def handle(self, *args, **options):
        failures = []
        for name in settings.PERIODIC_COMMANDS:
            self.stdout.write(f"→ {name}")
            try:
                call_command(name, stdout=self.stdout, stderr=self.stderr)
            except Exception as error:  # one failing job must not stop the others
                failures.append(name)
                self.stderr.write(f"{name} : {error}")
        if failures:
            raise CommandError("Tâches en échec : " + ", ".join(failures))
