"""Test helpers shared by several test modules."""

import os
import re
import shutil
from pathlib import Path

from django.apps import apps as global_apps
from django.conf import settings

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
        ("members.migrations.0004_separate_keys", "separate_keys"),
    ):
        getattr(importlib.import_module(module), function)(global_apps, None)


def _page_content_type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Page).pk


# Rows that post_migrate recreates (with new ids after each flush) and other rows point at.
KEPT_TABLES = ("django_content_type", "auth_permission")


class DemoSnapshot:
    """The full demo site, loaded once per test run and restored before each test that needs it.

    `load_demo` takes tens of seconds. On PostgreSQL the demo is loaded once (committed, by the
    first xdist worker that needs it), dumped with pg_dump as data-only INSERTs, and the database
    is emptied back to what migrations leave. A test then gets the demo in about a second: inside
    its own transaction (``restore_in_transaction``, rolled back at its end) or committed, for
    live_server tests that flush the database (``restore``). On SQLite it is simply loaded again."""

    def __init__(self, directory):
        self.path = Path(directory) / "demo.sql"
        self.media = Path(directory) / "demo-media"
        self.ready = False

    def dump(self):
        """Load the demo, dump it, empty the database again. Runs outside any test transaction.

        pytest-xdist's workers share one dump (``directory`` is common to them): the first to
        get the lock loads and dumps, the others read its file. Each worker's database has the
        same tables, and a restore replaces content types and permissions too, so the rows fit.
        The demo's files (images, documents) are kept beside the dump: each worker has its own
        MEDIA_ROOT, and a row restored without its file shows a broken image."""
        import fcntl

        from django.db import connection

        if self.ready or connection.vendor != "postgresql":
            return
        with open(self.path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not self.path.exists():
                self._load_and_dump()
        # Django's connection runs the dump as plain SQL: without psql's meta-commands (\restrict),
        # and without search_path = '' (the dump names every table with its schema; Django does not).
        psql_only = re.compile(r"^(\\(un)?restrict \w+|SELECT pg_catalog\.set_config\('search_path', '', false\);)$")
        sql = "\n".join(line for line in self.path.read_text().splitlines() if not psql_only.match(line))
        # A sequence never goes back: setval() outlives the rollback of a test's transaction, and
        # a lowered sequence would hand out the id of a row committed since (the root page that
        # is put back after a flush), failing whichever test comes next on that worker.
        self.sql = re.sub(
            r"pg_catalog\.setval\('([\w.]+)', (\d+), (?:true|false)\)",
            r"pg_catalog.setval('\1', GREATEST(\2, (SELECT last_value FROM \1)), true)",
            sql,
        )
        self.ready = True

    def _load_and_dump(self):
        self._truncate_all(keep=KEPT_TABLES)
        restore_migration_data()
        self._load_demo()
        dump = ["pg_dump", "--data-only", "--disable-triggers", "--no-owner", "--inserts", "--rows-per-insert=500"]
        partial = self.path.with_suffix(".partial")
        self._pg([*dump, "--file", str(partial), "--exclude-table-data=django_migrations"])
        shutil.copytree(settings.MEDIA_ROOT, self.media, dirs_exist_ok=True)
        partial.rename(self.path)
        self._truncate_all(keep=KEPT_TABLES)
        restore_migration_data()

    def restore(self):
        """The demo, committed (live_server tests, which flush the database after each test)."""
        from django.db import connection, transaction

        if connection.vendor != "postgresql":
            self._load_demo()
            return
        self.dump()
        with transaction.atomic():
            self.restore_in_transaction()

    def restore_in_transaction(self):
        """The demo inside the current test's transaction: gone when it rolls back."""
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection

        if connection.vendor != "postgresql":
            self._load_demo()
            return
        assert self.ready, "DemoSnapshot.dump() runs first, outside the test's transaction"
        self._put_back_media()
        # Content types come back with the ids the dumped rows point at.
        self._empty_tables(keep=())
        with connection.cursor() as cursor:
            cursor.execute(self.sql)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        ContentType.objects.clear_cache()

    def _put_back_media(self):
        """The demo's files in this worker's MEDIA_ROOT, as hard links (a test may have deleted
        one, as an erasure does, or this worker may not be the one that loaded the demo)."""
        media_root = Path(settings.MEDIA_ROOT)
        for source in self.media.rglob("*"):
            target = media_root / source.relative_to(self.media)
            if source.is_dir() or target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError:  # another file system
                shutil.copy2(source, target)

    @staticmethod
    def _load_demo():
        from io import StringIO

        from django.core.management import call_command

        restore_migration_data()
        call_command("load_demo", stdout=StringIO())

    @staticmethod
    def _truncate_all(keep):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE {} RESTART IDENTITY CASCADE".format(", ".join(map(connection.ops.quote_name, _tables(keep))))
            )

    @staticmethod
    def _empty_tables(keep):
        """DELETE, not TRUNCATE: on tables this small, TRUNCATE's new files for 130 tables cost
        seconds and DELETE a few milliseconds. The dump's setval() calls put the sequences back."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("".join(f"DELETE FROM {connection.ops.quote_name(t)};" for t in _tables(keep)))
            # The dump's ALTER TABLE … DISABLE TRIGGER refuses pending foreign-key checks: run
            # them now (no row is left to refer to a deleted one).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    @staticmethod
    def _pg(command):
        import subprocess

        from django.db import connection

        database = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
        args = [
            *command,
            "--host",
            database.get("HOST") or "127.0.0.1",
            "--port",
            str(database.get("PORT") or 5432),
            "--username",
            database.get("USER") or "postgres",
            "--dbname",
            database["NAME"],
        ]
        subprocess.run(args, env=env, check=True, capture_output=True)


def _tables(keep):
    from django.db import connection

    tables = set(connection.introspection.django_table_names(only_existing=True, include_views=False))
    return sorted(tables - set(keep))


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


def log_in_as(client, user):
    """The client as ``user`` (None: an anonymous visitor)."""
    client.logout()
    if user is not None:
        client.force_login(user)


def main_of(client, url):
    """The page's <main> element as text (what differs between visitors, without the header)."""
    html = client.get(url).content.decode()
    return html[html.index("<main") : html.index("</main>")]


def click_and_wait(locator):
    """Click what leads to another page (a link, a form's button) and wait for that page's load.
    Playwright's click returns once the navigation starts: reading the page right after it may
    see the old page or an empty document, and ``wait_for_load_state`` may answer for the old one."""
    with locator.page.expect_navigation():
        locator.click()


def type_rich_text(page, text):
    """Type ``text`` into the focused rich-text field of the Wagtail editor and wait until it holds
    it: Draftail copies what is typed into its hidden input a quarter of a second later, and a
    form sent before that saves the field empty."""
    page.keyboard.type(text)
    page.wait_for_function(
        "text => [...document.querySelectorAll('input[type=hidden]')].some(i => i.value.includes(text))",
        arg=text,
    )
