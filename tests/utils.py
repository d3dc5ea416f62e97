"""Test helpers shared by several test modules."""

from pathlib import Path

from django.apps import apps as global_apps

from wagtail.models import Collection, Locale, Page


def restore_migration_data():
    """Recreate what migrations put in the database, after a flush (live_server, transaction=True):
    Wagtail's root page and root collection, our groups, labels and sectors."""
    import importlib

    Locale.objects.get_or_create(language_code="fr")
    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root", slug="root", content_type_id=_page_content_type()))
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    for module, function in (
        ("members.migrations.0002_groups_and_labels", "create_groups_and_labels"),
        ("sectors.migrations.0002_network_sectors", "create_sectors"),
        ("members.migrations.0003_french_moderation_workflow", "french_moderation"),
    ):
        getattr(importlib.import_module(module), function)(global_apps, None)


def _page_content_type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Page).pk


# Rows that post_migrate recreates (with new ids after each flush) and other rows point at.
KEPT_TABLES = ("django_content_type", "auth_permission")


class DemoSnapshot:
    """The full demo site, loaded once per test session and restored before each browser test.

    `load_demo` takes tens of seconds; live_server tests flush the database after each test.
    On PostgreSQL the demo is loaded once, dumped with pg_dump (data only) and restored with
    psql before each test (about a second); on SQLite it is simply loaded again."""

    def __init__(self, directory):
        self.path = Path(directory) / "demo.sql"
        self.ready = False

    def restore(self):
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection

        if connection.vendor != "postgresql":
            self._load_demo()
            return
        if not self.ready:
            self._truncate_all(keep=KEPT_TABLES)
            restore_migration_data()
            self._load_demo()
            dump = ["pg_dump", "--data-only", "--disable-triggers", "--no-owner", "--file", str(self.path)]
            self._pg([*dump, "--exclude-table-data=django_migrations"])
            self.ready = True
            return
        # Content types come back with the ids the dumped rows point at.
        self._truncate_all(keep=())
        self._pg(["psql", "--quiet", "--set", "ON_ERROR_STOP=1", "--file", str(self.path)])
        ContentType.objects.clear_cache()

    @staticmethod
    def _load_demo():
        from io import StringIO

        from django.core.management import call_command

        restore_migration_data()
        call_command("load_demo", stdout=StringIO())

    @staticmethod
    def _truncate_all(keep):
        from django.db import connection

        tables = set(connection.introspection.django_table_names(only_existing=True, include_views=False))
        tables -= set(keep)
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE {} RESTART IDENTITY CASCADE".format(", ".join(connection.ops.quote_name(t) for t in tables))
            )

    @staticmethod
    def _pg(command):
        import os
        import subprocess

        from django.db import connection

        settings = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
        args = [
            *command,
            "--host",
            settings.get("HOST") or "127.0.0.1",
            "--port",
            str(settings.get("PORT") or 5432),
            "--username",
            settings.get("USER") or "postgres",
            "--dbname",
            settings["NAME"],
        ]
        subprocess.run(args, env=env, check=True, capture_output=True)


def assert_sent_to_admin_login(response, path):
    """Wagtail answers someone without admin access with a redirect to its login page, carrying
    where they were going (``path`` with its query string)."""
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query["next"] = path
    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?{query.urlencode(safe='/')}"


def unlock_occurrences(monkeypatch, *modules):
    """For the concurrency tests' controls: the engine's row lock becomes a plain read, in the
    engine and in ``modules`` that imported it, to show that the race test would catch the race."""
    from registrations import services
    from registrations.models import Occurrence

    def unlocked(occurrence_id):
        return Occurrence.objects.select_related("page").get(pk=occurrence_id)

    for module in (services, *modules):
        monkeypatch.setattr(module, "lock_occurrence", unlocked)
