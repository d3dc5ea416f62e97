"""The SQLite fallback backend's own classes (modelsearch's SQLite module can only be imported on
SQLite). Not collected by the suite (no ``test_`` prefix): ``test_sqlite_fallback.py`` runs this
module in a pytest of its own on SQLite, whatever database the suite uses."""

from django.db import connection

import pytest

from tests.factories import StandardPageFactory


def _lexemes(node):
    return _lexemes(node.lhs) + _lexemes(node.rhs) if hasattr(node, "lhs") else [repr(node)]


def test_this_run_is_on_sqlite():
    assert connection.vendor == "sqlite"


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
