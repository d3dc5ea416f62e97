"""The statistics of visitors' searches: Wagtail's query hits (its « promoted results » report
and popular searches) and our log of searches that find nothing, recorded on every search,
including one answered from the cache."""

import logging

from django.db import DatabaseError, connection
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

from .models import SearchLog

logger = logging.getLogger(__name__)


def _upserts():
    """Three statements, each an upsert (PostgreSQL and SQLite ≥ 3.24 alike): no read first, no
    transaction, and two concurrent first searches of a phrase cannot collide on its unique key."""
    name = connection.ops.quote_name
    query, hits, log = (name(model._meta.db_table) for model in (Query, QueryDailyHits, SearchLog))
    return (
        f"INSERT INTO {query} (query_string) VALUES (%s) ON CONFLICT (query_string) DO NOTHING",  # noqa: S608 (names from our models)
        f"INSERT INTO {hits} (query_id, date, hits) SELECT id, %s, 1 FROM {query} WHERE query_string = %s "  # noqa: S608
        f"ON CONFLICT (query_id, date) DO UPDATE SET hits = {hits}.hits + 1",
        f"INSERT INTO {log} (query_string, hits, zero_result_hits, last_result_count, first_searched_at, "  # noqa: S608
        f"last_searched_at) VALUES (%s, 1, %s, %s, %s, %s) ON CONFLICT (query_string) DO UPDATE SET "
        f"hits = {log}.hits + 1, zero_result_hits = {log}.zero_result_hits + EXCLUDED.zero_result_hits, "
        f"last_result_count = EXCLUDED.last_result_count, last_searched_at = EXCLUDED.last_searched_at",
    )


def record_search(query, result_count):
    """Count one search of ``query`` that found ``result_count`` results (normalised as Wagtail
    does, so « Restaurant » and « restaurant » are one line)."""
    normalised = normalise_query_string(query)[:255]
    if not normalised:
        return
    now = timezone.now()
    ops = connection.ops
    today, at = ops.adapt_datefield_value(now.date()), ops.adapt_datetimefield_value(now)  # Wagtail's day: UTC
    add_query, add_hit, add_log = _upserts()
    with connection.cursor() as cursor:
        cursor.execute(add_query, [normalised])
        cursor.execute(add_hit, [today, normalised])
        cursor.execute(add_log, [normalised, 0 if result_count else 1, result_count, at, at])


def record_search_quietly(query, result_count):
    try:
        record_search(query, result_count)
    except DatabaseError:  # the statistics must never cost the visitor their results
        logger.warning("Recherche non journalisée : %s", query, exc_info=True)
