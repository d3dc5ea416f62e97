"""Agenda and feeds under load.

- A public feed of 500 events (50 of them monthly series): time and SQL queries (target ≤ 5), and
  the conditional GET (304) path; measured in-process with Django's test client.
- Requests per second for /agenda/, an event page and, as the ceiling, the trivial /healthz, both
  rendered (a unique ignored query parameter defeats the shared page cache) and as deployed
  (anonymous pages served from the page cache, home/caching.py), each served by gunicorn on 127.0.0.1 (BENCH_WORKERS sync workers, default 4) and loaded by
  BENCH_CLIENTS client threads (default 16) for BENCH_SECONDS seconds each (default 5).
A dedicated bench database is created then dropped (PostgreSQL from DATABASE_URL's server,
SQLite otherwise); the server is stopped at the end.
"""

import os
import statistics
import sys
import threading
import time
from pathlib import Path

import requests

from tests.bench.bench_registrations import _bench_database, _manage, _start_server

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
CLIENT_THREADS = int(os.environ.get("BENCH_CLIENTS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
EVENTS, RECURRING = 500, 50

SETUP = """
import json, statistics, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site
from events.models import EventIndexPage
from home.models import HomePage
from registrations.models import Occurrence
from tests.factories.events import make_events

root = Page.get_first_root_node()
home = root.add_child(instance=HomePage(title="RESECO", slug="bench-accueil"))
Site.objects.all().delete()
Site.objects.create(hostname="127.0.0.1", port=80, root_page=home, is_default_site=True, site_name="RESECO")
agenda = home.add_child(instance=EventIndexPage(title="Agenda", slug="agenda"))
pages = make_events(agenda, %(events)d, recurring=%(recurring)d)
client = Client(HTTP_HOST="127.0.0.1")
url = "/calendrier/agenda.ics"
client.get(url + "?mesure=chauffe")  # warm caches (site root paths)

def timed(fresh, **headers):
    # Median time, max queries and status of 7 GETs; "fresh" adds a unique (ignored) query
    # parameter so that the shared page cache cannot answer and the view itself is measured.
    times, counts, status, response = [], [], None, None
    for n in range(7):
        target = f"{url}?mesure={time.perf_counter_ns()}-{n}" if fresh else url
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(target, **headers)
            times.append(time.perf_counter() - started)
        counts.append(len(ctx.captured_queries))
        status = response.status_code
    return [statistics.median(times), max(counts), status], response

feed, response = timed(True)
etag = response["ETag"]
not_modified, _ = timed(True, HTTP_IF_NONE_MATCH=etag)
client.get(url)  # now in the shared page cache
cached_not_modified, _ = timed(False, HTTP_IF_NONE_MATCH=etag)
print("BENCH" + json.dumps({
    "occurrences": Occurrence.objects.count(),
    "vevents": response.content.count(b"BEGIN:VEVENT"),
    "rrules": response.content.count(b"RRULE:"),
    "bytes": len(response.content),
    "feed": feed,
    "not_modified": not_modified,
    "cached_not_modified": cached_not_modified,
    "event_url": pages[0].url,
}))
"""


def _load(url, seconds, threads, *, bypass_cache):
    """Bounded load: ``threads`` clients loop on GET ``url`` for ``seconds``; returns (req/s, p50,
    p95, errors). ``bypass_cache`` adds a unique, ignored query parameter to every request so that
    the shared page cache cannot answer (the rendering itself is measured)."""
    counter = iter(range(10**9))
    deadline = time.perf_counter() + seconds
    latencies, errors = [], []
    lock = threading.Lock()

    def worker():
        session = requests.Session()
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                target = f"{url}?mesure={next(counter)}" if bypass_cache else url
                ok = session.get(target, timeout=10).status_code == 200
            except requests.RequestException:
                ok = False
            with lock:
                (latencies if ok else errors).append(time.perf_counter() - started)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    p95 = latencies[max(int(0.95 * len(latencies)) - 1, 0)] if latencies else 0
    return len(latencies) / elapsed, statistics.median(latencies) if latencies else 0, p95, len(errors)


def run():
    database_url, drop = _bench_database()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE=os.environ.get("BENCH_SETTINGS", "settings.dev"),
        DJANGO_DEBUG="0",
        CONN_MAX_AGE="60",
    )
    server = None
    try:
        print(f"Base : {'PostgreSQL' if database_url.startswith('postgres') else 'SQLite'} (dédiée au benchmark)")
        _manage(env, "migrate", "--noinput", "-v0")
        data = _manage(env, "shell", script=SETUP % {"events": EVENTS, "recurring": RECURRING})
        feed_time, feed_queries, feed_status = data["feed"]
        nm_time, nm_queries, nm_status = data["not_modified"]
        print(
            f"Flux public : {EVENTS} événements dont {RECURRING} récurrents ({data['occurrences']} occurrences, "
            f"{data['vevents']} VEVENT dont {data['rrules']} séries RRULE, {data['bytes'] // 1024} Kio)"
        )
        print(
            f"  rendu complet : {feed_time * 1000:.0f} ms, {feed_queries} requêtes SQL (cible ≤ 5), HTTP {feed_status}"
        )
        print(f"  GET conditionnel (vue) : {nm_time * 1000:.1f} ms, {nm_queries} requêtes SQL, HTTP {nm_status}")
        c_time, c_queries, c_status = data["cached_not_modified"]
        print(
            f"  GET conditionnel (cache de pages) : {c_time * 1000:.1f} ms, {c_queries} requêtes SQL, HTTP {c_status}"
        )

        server, base = _start_server(env, WORKERS)
        print(f"Charge : gunicorn {WORKERS} workers sync, {CLIENT_THREADS} fils clients, {SECONDS:.0f} s par adresse")
        for label, path in (
            ("/healthz (plafond)", "/healthz"),
            ("/agenda/", "/agenda/"),
            ("page d'événement", data["event_url"]),
        ):
            for _ in range(WORKERS * 2):  # warm every worker
                requests.get(base + path, timeout=10)
            for bypass, how in ((True, "rendu"), (False, "cache")):
                rate, p50, p95, errors = _load(base + path, SECONDS, CLIENT_THREADS, bypass_cache=bypass)
                print(
                    f"  {label:<20} {how:<6} {rate:7.0f} req/s  p50 {p50 * 1000:5.0f} ms  "
                    f"p95 {p95 * 1000:5.0f} ms  erreurs {errors}"
                )
        ok = feed_queries <= 5 and feed_status == 200 and nm_status == 304 and c_status == 304
        print("Objectifs atteints." if ok else "OBJECTIFS NON ATTEINTS.")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        drop()


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT)]
    run()
