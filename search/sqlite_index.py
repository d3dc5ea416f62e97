"""modelsearch's SQLite FTS5 backend with French stems (see sqlite_backend.py); importable only
on SQLite (modelsearch's module reads SQLite-only models)."""

from modelsearch.backends.database.sqlite.sqlite import (
    IndexEntry,
    ObjectIndexer,
    SQLiteIndex,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)
from modelsearch.query import PlainText
from modelsearch.utils import get_content_type_pk

from .sqlite_backend import stem_text


class FrenchObjectIndexer(ObjectIndexer):
    @property
    def title(self):
        return stem_text(super().title)

    @property
    def body(self):
        return stem_text(super().body)


class FrenchSQLiteIndex(SQLiteIndex):
    def add_items(self, model, objs):
        """modelsearch's ``add_items`` with the French indexer (it names its own class inside)."""
        if not model.get_search_fields():
            return
        rows = {}
        for obj in objs:
            indexer = FrenchObjectIndexer(obj, self.backend)
            rows[indexer.id] = {"title": indexer.title, "autocomplete": indexer.autocomplete, "body": indexer.body}
        if not rows:
            return
        content_type_pk = get_content_type_pk(model)
        entries = self.entries.filter(content_type_id=content_type_pk)
        indexed = set(entries.filter(object_id__in=rows).values_list("object_id", flat=True))
        for object_id in indexed:
            entries.filter(object_id=object_id).update(**rows[object_id])
        self.entries.bulk_create(
            IndexEntry(content_type_id=content_type_pk, object_id=object_id, **fields)
            for object_id, fields in rows.items()
            if object_id not in indexed
        )
        self._refresh_title_norms()


class FrenchSQLiteSearchQueryCompiler(SQLiteSearchQueryCompiler):
    def build_search_query_content(self, query, config=None):
        if isinstance(query, PlainText):
            query = PlainText(stem_text(query.query_string), operator=query.operator, boost=query.boost)
        return super().build_search_query_content(query, config=config)


class FrenchSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = FrenchSQLiteSearchQueryCompiler
    index_class = FrenchSQLiteIndex
