"""Search on the SQLite fallback (`make run` without DATABASE_URL): singular and plural, accents
(issue 14: « textile » and « formation » found nothing). The stemmer and the query compiler are
tested here on any database; the end-to-end search runs on both (on PostgreSQL it checks that
the French configuration is untouched). On PostgreSQL (CI), the last test runs this module again
in a pytest of its own on SQLite, so the SQLite backend's own tests never go unrun."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

import pytest

from search.sqlite_backend import stem, stem_text
from tests.factories import StandardPageFactory
from tests.factories.library import GuidePageFactory


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("textile", "textiles"),
        ("formation", "formations"),
        ("bureau", "bureaux"),
        ("local", "locaux"),
        ("événement", "Événements"),
        ("écologique", "ECOLOGIQUES"),
        ("marché", "marchés"),
    ],
)
def test_singular_and_plural_share_a_stem(singular, plural):
    assert stem(singular) == stem(plural)


def test_short_words_numbers_and_double_s_are_kept():
    assert [stem(w) for w in ("bus", "gaz", "2026", "process", "Bio")] == ["bus", "gaz", "2026", "process", "bio"]
    assert stem_text("Achats  durables : l'été 2026 !") == "achat durable l ete 2026"


# modelsearch's SQLite module can only be imported on SQLite.
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend's own classes")


def _lexemes(node):
    return _lexemes(node.lhs) + _lexemes(node.rhs) if hasattr(node, "lhs") else [repr(node)]


@sqlite_only
def test_query_words_are_stemmed_like_the_index():
    from home.models import StandardPage
    from search.sqlite_index import FrenchSQLiteSearchBackend

    compiler = FrenchSQLiteSearchBackend({}).query_compiler_class(StandardPage.objects.none(), "Textile formations")
    built = compiler.build_search_query_content(compiler.query)
    assert sorted(_lexemes(built.value)) == ["Lexeme('formation')", "Lexeme('textile')"]


@sqlite_only
@pytest.mark.django_db
def test_titles_and_bodies_are_indexed_as_stems_autocomplete_as_written(home_page):
    from search.sqlite_index import FrenchObjectIndexer, FrenchSQLiteSearchBackend

    page = StandardPageFactory(parent=home_page, title="Textiles et Formations", intro="Les bureaux écologiques")
    indexer = FrenchObjectIndexer(page, FrenchSQLiteSearchBackend({}))
    assert indexer.title == "textile et formation"
    assert "bureau ecologique" in indexer.body
    assert "Textiles et Formations" in indexer.autocomplete


def test_postgresql_keeps_its_own_backend():
    expected = "wagtail.search.backends.database" if connection.vendor == "postgresql" else "search.sqlite_backend"
    assert settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] == expected


@pytest.mark.django_db
def test_singular_finds_plural_and_accents_are_folded(client, library):
    GuidePageFactory(parent=library["index"], title="Clauses pour les Textiles", summary="Vêtements de travail.")
    GuidePageFactory(parent=library["index"], title="Formations des acheteurs", summary="Un parcours.")
    StandardPageFactory(parent=library["home"], title="Événements du réseau", intro="Rencontres.")

    def titles(query):
        return [hit["title"] for hit in client.get(f"/recherche/?q={query}").context["results"]]

    assert "Clauses pour les Textiles" in titles("textile")
    assert "Formations des acheteurs" in titles("formation")
    assert "Événements du réseau" in titles("evenement")
    assert "Clauses pour les Textiles" in titles("vetement")


@pytest.mark.skipif(connection.vendor == "sqlite", reason="this is the SQLite run itself")
def test_this_module_passes_on_the_sqlite_fallback():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CI") and not key.startswith(("PYTEST_", "DJANGO_"))
    }
    env["DJANGO_SETTINGS_MODULE"] = "settings.test"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", __file__, "-p", "no:cacheprovider", "-p", "no:xdist", "-q", "--create-db"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " skipped" not in result.stdout.splitlines()[-1].replace("1 skipped", ""), result.stdout[-1500:]
