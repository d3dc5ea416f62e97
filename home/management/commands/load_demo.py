"""Builds the demo RESECO site. Each app contributes a ``demo.py`` with ``load(demo)``.

Idempotent: every step finds or updates its rows by a natural key, so running it twice
leaves the same rows. The database remembers the version it holds (a hash of the demo code and
of the migrations): when nothing changed, `load_demo` says so and stops (``--force`` reloads).
Background work the loading causes (search index, reference index, e-mails) runs inline, so
the demo is searchable as soon as the command ends, without waiting for the task worker; index
updates run once per object at the end of each app's step (home/demo_tasks.py).
"""

import hashlib
import importlib
import importlib.util
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from wagtail.models import Site

from home.demo_tasks import run_index_updates
from home.models import DemoVersion

INLINE_TASKS = {"default": {"BACKEND": "home.demo_tasks.DemoTaskBackend"}}


class Demo:
    """What every app's demo step receives: progress output and shared helpers."""

    def __init__(self, command):
        self.command = command

    def step(self, message):
        self.command.stdout.write(f"  • {message}")

    @staticmethod
    def child_page(parent, model, slug, **fields):
        """Find the child page ``slug`` of ``parent`` or create it; update and publish its fields."""
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if page is None:
            page = model(slug=slug, **fields)
            parent.add_child(instance=page)
        else:
            for name, value in fields.items():
                setattr(page, name, value)
        page.save_revision().publish()
        return page

    @staticmethod
    def page(url_path):
        """A demo page by its path under the home page, e.g. ``/agenda/``."""
        site = Site.objects.get(is_default_site=True)
        return (
            site.root_page.specific.get_descendants()
            .get(url_path=site.root_page.url_path + url_path.strip("/") + "/")
            .specific
        )


def demo_version(project_apps):
    """A hash of this command, every app's ``demo.py`` (and the ``demo_*.py`` texts it reads) and
    every migration's name."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for app in project_apps:
        for path in [Path(app.path, "demo.py"), *sorted(Path(app.path).glob("demo_*.py"))]:
            digest.update(path.read_bytes())
    for app in apps.get_app_configs():
        migrations = Path(app.path, "migrations")
        if app.path.startswith(str(settings.BASE_DIR)) and migrations.is_dir():
            digest.update(" ".join(sorted(f"{app.label}.{p.stem}" for p in migrations.glob("0*.py"))).encode())
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Charge un site de démonstration réaliste (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Recharger même si cette version de la démonstration est chargée."
        )
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="Appliquer d'abord les migrations (un seul démarrage pour `make run`).",
        )

    def handle(self, *args, **options):
        if options["migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        demo = Demo(self)
        project_apps = [
            app
            for app in apps.get_app_configs()
            if app.path.startswith(str(settings.BASE_DIR)) and importlib.util.find_spec(f"{app.name}.demo")
        ]
        version = demo_version(project_apps)
        if not options["force"] and DemoVersion.objects.filter(version=version).exists():
            self.stdout.write(
                self.style.SUCCESS("Site de démonstration déjà chargé, rien n'a changé (--force pour le recharger).")
            )
            return
        with override_settings(TASKS=INLINE_TASKS):
            for app in project_apps:
                self.stdout.write(self.style.MIGRATE_HEADING(f"{app.verbose_name}…"))
                module = importlib.import_module(f"{app.name}.demo")
                with transaction.atomic():
                    module.load(demo)
                    run_index_updates()
        DemoVersion.objects.exclude(version=version).delete()
        DemoVersion.objects.update_or_create(version=version)
        self.stdout.write(self.style.SUCCESS("Site de démonstration prêt."))
