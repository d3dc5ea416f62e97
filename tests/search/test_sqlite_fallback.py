"""Search on the SQLite fallback (`make run` without DATABASE_URL): singular and plural, accents
(issue 14: « textile » and « formation » found nothing). The stemmer and the query compiler are
tested here on any database; the end-to-end search runs on both (on PostgreSQL it checks that
the French configuration is untouched). The SQLite backend's own classes can only be imported on
SQLite: their tests (`sqlite_cases.py`) run in a pytest of their own on SQLite, started by the last
test here, so they run in every suite, CI's on PostgreSQL included."""

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

SQLITE_CASES = Path(__file__).with_name("sqlite_cases.py")


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


def test_the_sqlite_backend_passes_on_sqlite():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CI") and not key.startswith(("PYTEST_", "DJANGO_"))
    }
    env["DJANGO_SETTINGS_MODULE"] = "settings.test"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(SQLITE_CASES),
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-q",
            "--create-db",
            "--no-migrations",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert "4 passed" in summary and "skipped" not in summary, result.stdout[-1500:]
