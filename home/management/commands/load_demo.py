"""Builds the demo RESECO site. Each app contributes a ``demo.py`` with ``load(demo)``.

Idempotent: every step finds or updates its rows by a natural key, so running it twice
leaves the same rows.
"""

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction


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
        from wagtail.models import Site

        site = Site.objects.get(is_default_site=True)
        return (
            site.root_page.specific.get_descendants()
            .get(url_path=site.root_page.url_path + url_path.strip("/") + "/")
            .specific
        )


class Command(BaseCommand):
    help = "Charge un site de démonstration réaliste (idempotent)."

    def handle(self, *args, **options):
        demo = Demo(self)
        project_apps = [
            app
            for app in apps.get_app_configs()
            if app.path.startswith(str(settings.BASE_DIR)) and importlib.util.find_spec(f"{app.name}.demo")
        ]
        for app in project_apps:
            self.stdout.write(self.style.MIGRATE_HEADING(f"{app.verbose_name}…"))
            module = importlib.import_module(f"{app.name}.demo")
            with transaction.atomic():
                module.load(demo)
        self.stdout.write(self.style.SUCCESS("Site de démonstration prêt."))
