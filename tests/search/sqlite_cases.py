"""The SQLite fallback backend's own classes (modelsearch's SQLite module can only be imported on
SQLite). Not collected by the suite (no ``test_`` prefix): ``test_sqlite_fallback.py`` runs this
module in a pytest of its own on SQLite, whatever database the suite uses.

That pytest builds its tables from the models (``--no-migrations``): replaying every migration on
SQLite rebuilds tables over and over and took a minute of CPU for three tests. What migrations
add beyond the models is put back here (Wagtail search's FTS5 table) and by ``restore_migration_data``
(root page, groups, sectors; tests/conftest.py)."""

from django.db import connection

import pytest

from tests.factories import StandardPageFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Without migrations, Wagtail search's FTS5 index is an ordinary table: make it the virtual
    table its SQLite migration creates."""
    from wagtail.search.models import IndexEntry

    table = f"{IndexEntry._meta.db_table}_fts"
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE VIRTUAL TABLE {table} USING fts5(autocomplete, body, title)")


def _lexemes(node):
    return _lexemes(node.lhs) + _lexemes(node.rhs) if hasattr(node, "lhs") else [repr(node)]


def test_this_run_is_on_sqlite():
    assert connection.vendor == "sqlite"


@pytest.mark.django_db
def test_the_index_is_sqlite_full_text_search():
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name LIKE '%indexentry_fts'")
        assert "USING fts5" in cursor.fetchone()[0]


def test_query_words_are_stemmed_like_the_index():
    from home.models import StandardPage
    from search.sqlite_index import FrenchSQLiteSearchBackend

    compiler = FrenchSQLiteSearchBackend({}).query_compiler_class(StandardPage.objects.none(), "Textile formations")
    built = compiler.build_search_query_content(compiler.query)
    assert sorted(_lexemes(built.value)) == ["Lexeme('formation')", "Lexeme('textile')"]


@pytest.mark.django_db
def test_titles_and_bodies_are_indexed_as_stems_autocomplete_as_written(home_page):
    from search.sqlite_index import FrenchObjectIndexer, FrenchSQLiteSearchBackend

    page = StandardPageFactory(parent=home_page, title="Textiles et Formations", intro="Les bureaux écologiques")
    indexer = FrenchObjectIndexer(page, FrenchSQLiteSearchBackend({}))
    assert indexer.title == "textile et formation"
    assert "bureau ecologique" in indexer.body
    assert "Textiles et Formations" in indexer.autocomplete
