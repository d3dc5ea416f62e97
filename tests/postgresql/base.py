"""PostgreSQL as in production, except how the test runner empties the database after each
transactional test (live server, threads, processes): DELETE instead of TRUNCATE.

TRUNCATE gives each of the 130 tables new files and costs seconds per flush; DELETE of the few
rows a test leaves costs milliseconds. The foreign keys Django creates are deferrable, so the
rows go in any order within the flush's transaction.

Content types and permissions stay: post_migrate would otherwise recreate all of them after every
flush (a second of inserts), as a migrated database keeps them anyway."""

from django.db.backends.postgresql import base, operations

KEPT = {"django_content_type", "auth_permission"}


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences:
            # Restarting sequences is TRUNCATE's job (RESTART IDENTITY); no test of ours asks for it.
            return super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        tables = [table for table in tables if table not in KEPT]
        # One round trip for all of them.
        deletes = (f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables)
        return ["SET CONSTRAINTS ALL DEFERRED; " + " ".join(deletes)]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
