import os

from wagtail.models import Page, Site

import pytest

from tests.factories import HomePageFactory
from tests.utils import DemoSnapshot, restore_migration_data


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` prove what only PostgreSQL does (row locks under concurrency, French
    full-text search, several processes on one database). They always run in CI, which refuses any
    other database; `make test` on the SQLite fallback leaves them out and says so.

    The races among them (threads or processes, each with its own connection) run one after the
    other on one xdist worker: two at once would pass PostgreSQL's 100 connections."""
    from django.db import connection

    if connection.vendor == "postgresql":
        for item in items:
            marker = item.get_closest_marker("django_db")
            if item.get_closest_marker("postgres") and marker and marker.kwargs.get("transaction"):
                item.add_marker(pytest.mark.xdist_group("races"))
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("CI runs the whole suite on PostgreSQL: set DATABASE_URL (see .ci/run).")
    postgres_only = [item for item in items if item.get_closest_marker("postgres")]
    if postgres_only:
        config.hook.pytest_deselected(items=postgres_only)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]
        config._postgres_deselected = len(postgres_only)
        if hasattr(config, "workeroutput"):  # a pytest-xdist worker: tell the controller
            config.workeroutput["postgres_deselected"] = len(postgres_only)


def pytest_make_parametrize_id(config, val, argname):
    """A long string parameter (a signed token, which changes every second) gets a stable id:
    pytest-xdist's workers must collect the same test ids."""
    if isinstance(val, str) and len(val) > 40:
        return f"{argname}-{len(val)}-chars"
    return None


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook; some runs go without xdist
def pytest_testnodedown(node, error):
    """Under pytest-xdist the workers collect and leave the tests out: the controller, which
    prints the summary, learns their count from them (each collects the whole suite)."""
    count = getattr(node, "workeroutput", {}).get("postgres_deselected", 0)
    node.config._postgres_deselected = max(getattr(node.config, "_postgres_deselected", 0), count)


def pytest_terminal_summary(terminalreporter, config):
    count = getattr(config, "_postgres_deselected", 0)
    if count:
        terminalreporter.write_line(
            f"{count} tests that need PostgreSQL were not run on SQLite: set DATABASE_URL to run them.", yellow=True
        )


def pytest_configure(config):
    # Playwright's sync API runs an event loop; Django must still allow ORM calls in tests.
    import os

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty per-process cache: counters (rate limits, e-mails sent to an
    address) left by another test on the same worker must not decide this one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fail_on_task_error():
    """The immediate task backend swallows exceptions: turn a failed task into a failed test."""
    from django_tasks.signals import task_finished

    failures = []

    def on_finished(sender, task_result, **kwargs):
        if task_result.status.name == "FAILED":
            failures.append(task_result)

    task_finished.connect(on_finished)
    yield
    task_finished.disconnect(on_finished)
    if failures:
        errors = "; ".join(f"{r.task.module_path}: {r.errors}" for r in failures)
        pytest.fail(f"Background task failed: {errors}")


@pytest.fixture(scope="session", autouse=True)
def _migration_data(django_db_setup, django_db_blocker):
    """With --reuse-db, a previous run's transactional tests may have flushed what migrations
    put in the database: put it back once before any test.

    Wagtail's placeholder page goes once here, committed, rather than in every test that builds
    a site (``home_page``): deleting a page cascades through every table that may point at one."""
    with django_db_blocker.unblock():
        restore_migration_data()
        Page.objects.filter(depth=2, content_type__model="page").delete()


@pytest.fixture(autouse=True)
def _migration_data_after_flush(request):
    """Transactional tests (threads, live_server) run after a flush that removed what migrations
    put in the database (Wagtail's root page, groups, sectors): put it back before each of them."""
    marker = request.node.get_closest_marker("django_db")
    if (marker and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        restore_migration_data()


@pytest.fixture
def home_page(db):
    """A bare site: our HomePage as the default site's root (Wagtail's placeholder removed)."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="accueil")
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "testserver", "port": 80, "root_page": home}
    )
    Page.objects.filter(depth=2, content_type__model="page").delete()
    return home


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory, worker_id):
    """The demo site loaded and dumped once per run (xdist's workers share the dump: their
    common temporary directory is the parent of each one's), restored in about a second by each
    test that asks for it."""
    run_directory = tmp_path_factory.getbasetemp()
    snapshot = DemoSnapshot(run_directory if worker_id == "master" else run_directory.parent)
    with django_db_blocker.unblock():
        snapshot.dump()
    return snapshot


@pytest.fixture
def demo_site(db, demo_snapshot):
    """The full demo site, as `make run` shows it (restored inside the test's transaction)."""
    demo_snapshot.restore_in_transaction()
    site = Site.objects.get(is_default_site=True)
    site.hostname = "testserver"
    site.save()
    return site


@pytest.fixture
def pages_cache():
    """The page cache on (per-process memory caches), emptied before and after the test: for
    tests of what is shared from it (fragments, pages, feeds)."""
    from django.core.cache import caches
    from django.test import override_settings

    locmem = "django.core.cache.backends.locmem.LocMemCache"
    pages = {"default": {"BACKEND": locmem, "LOCATION": "default"}, "pages": {"BACKEND": locmem, "LOCATION": "pages"}}
    with override_settings(CACHES=pages):
        # Both emptied: a memory cache outlives the test, and what another test left under the same
        # key (a page's path by id: SQLite hands the ids of rolled-back rows out again) is stale.
        caches["default"].clear()
        caches["pages"].clear()
        yield caches["pages"]
        caches["pages"].clear()
        caches["default"].clear()
