"""The search backend on SQLite (`make run` without DATABASE_URL): modelsearch's FTS5 backend
with French singular/plural and accents folded on both sides.

SQLite's FTS5 matches whole words: « textile » did not find « Textiles », nor « formation »
« Formations ». Titles and bodies are indexed as light French stems (accents folded, plural
endings removed) and query words go through the same function, so both meet. PostgreSQL keeps
its own backend and French configuration (settings choose this module only on SQLite);
autocomplete keeps the words as written, since it matches prefixes of what is typed."""

import re
import unicodedata

from django.db import connection

WORD = re.compile(r"\w+")


def fold(word):
    """Lower case without accents: « Événement » → « evenement »."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def stem(word):
    """A light French stem: the plural and the singular of a word give the same stem
    (« textiles », « textile » → « textile »; « bureaux » → « bureau »; « locaux » → « local »)."""
    word = fold(word)
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("eaux"):
        return word[:-1]
    if word.endswith("aux") and len(word) > 4:
        return word[:-3] + "al"
    if word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


def stem_text(text):
    return " ".join(stem(word) for word in WORD.findall(text or ""))


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks up in a backend module)
    # Settings name this module; modelsearch's backends need the app registry, ready by now.
    from modelsearch.backends.database import SearchBackend as database_backend

    backend = database_backend(params)
    if connection.vendor != "sqlite" or type(backend).__name__ != "SQLiteSearchBackend":
        return backend  # SQLite without FTS5, or another database: modelsearch's own choice
    # modelsearch's SQLite module reads SQLite-only models when imported: imported here only.
    from .sqlite_index import FrenchSQLiteSearchBackend

    return FrenchSQLiteSearchBackend(params)
