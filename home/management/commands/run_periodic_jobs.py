from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# Wagtail's scheduled publishing never fires unless this runs periodically.
CORE_COMMANDS = ["publish_scheduled"]


def periodic_commands():
    """Core commands, then each app's ``periodic_commands`` (on its AppConfig), in INSTALLED_APPS order."""
    names = list(CORE_COMMANDS)
    for config in apps.get_app_configs():
        names.extend(getattr(config, "periodic_commands", []))
    return names


class Command(BaseCommand):
    help = "Lance les tâches périodiques (publication programmée, adhésions, rappels…). Idempotent."

    def handle(self, *args, **options):
        failures = []
        for name in periodic_commands():
            self.stdout.write(f"→ {name}")
            try:
                call_command(name, stdout=self.stdout, stderr=self.stderr)
            except Exception as error:  # one failing job must not stop the others
                failures.append(name)
                self.stderr.write(f"{name} : {error}")
        if failures:
            raise CommandError("Tâches en échec : " + ", ".join(failures))
