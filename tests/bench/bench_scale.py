"""Scale: cached /agenda/ next to the trivial-view ceiling, and a worker's memory under load.

(a) Throughput. gunicorn on 127.0.0.1 (BENCH_WORKERS sync workers, default 4) with the bench
    settings (settings.dev, DEBUG off), whose "pages" cache is on: a per-process memory cache, or
    Redis when REDIS_URL is set. BENCH_CLIENTS client threads (default 16) load, for BENCH_SECONDS
    seconds each (default 8): /healthz (the trivial view, never cached: the ceiling), /agenda/
    as deployed (anonymous, from the page cache) and /agenda/ rendered (a unique ignored query
    parameter defeats the cache, for context). Prints cached /agenda/ ÷ /healthz.
    Target: ≥ 70 %.
(b) Memory. A second gunicorn with ONE sync worker (so it serves every request) receives a
    warm-up of 2,000 mixed requests, then 20,000 (BENCH_SCALE_REQUESTS) from 8 client threads:
    pages (home, agenda, event pages, cached and rendered), public and per-event feeds, the
    registration form and registrations posted by logged-in members. Prints the worker's
    resident memory (VmRSS, /proc/<pid>/status) before and after, and the growth.
    Target: flat, within ± 5 %; no 5xx, same worker process throughout.
A dedicated bench database is created then dropped (PostgreSQL from DATABASE_URL's server,
SQLite otherwise); every server is stopped at the end. Bounded loops, 127.0.0.1 only.
"""

import itertools
import os
import secrets
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from tests.bench.bench_events import _load
from tests.bench.bench_registrations import _bench_database, _manage, _start_server, _stop_server

ROOT = Path(__file__).resolve().parents[2]
CLIENT_THREADS = int(os.environ.get("BENCH_CLIENTS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
REQUESTS = int(os.environ.get("BENCH_SCALE_REQUESTS", "20000"))
WARM_UP = int(os.environ.get("BENCH_SCALE_WARM_UP", "2000"))
MEMORY_CLIENTS = 8
EVENTS, RECURRING, MEMBERS, OCCURRENCES = 60, 6, 400, 50

SETUP = """
import datetime, json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from wagtail.models import Page, Site
from events.models import EventIndexPage
from home.models import HomePage
from members.models import Organisation, User
from registrations.models import Occurrence
from tests.factories.events import make_events

root = Page.get_first_root_node()
home = root.add_child(instance=HomePage(title="RESECO", slug="bench-accueil"))
Site.objects.all().delete()
Site.objects.create(hostname="127.0.0.1", port=80, root_page=home, is_default_site=True, site_name="RESECO")
agenda = home.add_child(instance=EventIndexPage(title="Agenda", slug="agenda"))
pages = make_events(agenda, %(events)d, recurring=%(recurring)d)
owner = root.add_child(instance=Page(title="Rencontres (banc d'essai)", slug="bench-rencontres"))
start = timezone.now() + datetime.timedelta(days=15)
occurrences = [
    Occurrence.objects.create(
        page=owner, kind="thematic", original_start=start + datetime.timedelta(hours=n),
        start=start + datetime.timedelta(hours=n), end=start + datetime.timedelta(hours=n + 2),
        capacity=20, audience="members",
    ) for n in range(%(occurrences)d)
]
organisation = Organisation.objects.create(
    name="Bench", kind="commune", siren="213500000", region="pdl", member_since=datetime.date(2015, 1, 1)
)
users = User.objects.bulk_create(
    User(email=f"scale{n}@exemple.fr", first_name="Bench", last_name=str(n), organisation=organisation,
         password="!") for n in range(%(members)d)
)
sessions = []
for user in users:
    store = SessionStore()
    store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    sessions.append(store.session_key)
print("BENCH" + json.dumps({
    "event_urls": [p.url for p in pages[:10]],
    "event_ids": [p.pk for p in pages[:10]],
    "occurrences": [o.pk for o in occurrences],
    "sessions": sessions,
}))
"""


def _workers(parent_pid):
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent_pid:
                pids.append(int(entry.name))
    return pids


def _rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("VmRSS introuvable")


def _throughput(env):
    server = None
    try:
        server, base = _start_server(env, WORKERS)
        print(f"(a) Débit : gunicorn {WORKERS} workers sync, {CLIENT_THREADS} fils clients, {SECONDS:.0f} s par mesure")
        agenda = requests.get(base + "/agenda/", timeout=10)
        print(
            f"  /agenda/ anonyme : HTTP {agenda.status_code}, Cache-Control « {agenda.headers.get('Cache-Control')} »"
        )
        figures = {}
        for label, path, bypass in (
            ("/healthz (plafond)", "/healthz", False),
            ("/agenda/ (cache)", "/agenda/", False),
            ("/agenda/ (rendu)", "/agenda/", True),
        ):
            for _ in range(WORKERS * 3):  # warm every worker, and the page cache of each
                requests.get(base + path, timeout=10)
            rate, p50, p95, errors = _load(base + path, SECONDS, CLIENT_THREADS, bypass_cache=bypass)
            figures[label] = rate
            print(
                f"  {label:<20} {rate:7.0f} req/s  p50 {p50 * 1000:5.0f} ms  p95 {p95 * 1000:5.0f} ms  erreurs {errors}"
            )
        ratio = figures["/agenda/ (cache)"] / figures["/healthz (plafond)"]
        print(f"  /agenda/ en cache = {ratio:.0%} du plafond /healthz (cible ≥ 70 %)")
        return ratio >= 0.70 and agenda.status_code == 200
    finally:
        _stop_server(server)


def _mixed_requests(base, data):
    """An endless, deterministic mix: (method, url, session or None)."""
    events, ids, occurrences, sessions = data["event_urls"], data["event_ids"], data["occurrences"], data["sessions"]
    for n in itertools.count():
        step = n % 10
        unique = f"?mesure={n}"
        if step == 0:
            yield "GET", base + "/agenda/", None
        elif step == 1:
            yield "GET", base + "/", None
        elif step == 2:
            yield "GET", base + events[n % len(events)], None
        elif step == 3:  # rendered, not from the cache
            yield "GET", base + ("/agenda/", events[n % len(events)])[n % 2] + unique, None
        elif step == 4:
            yield "GET", base + "/calendrier/agenda.ics", None
        elif step == 5:
            yield "GET", base + f"/calendrier/evenement/{ids[n % len(ids)]}.ics" + ("" if n % 4 else unique), None
        elif step in (6, 7):
            session = sessions[n % len(sessions)]
            yield "GET", base + f"/inscriptions/{occurrences[n % len(occurrences)]}/", session
        else:  # registrations: each member posts for a different date each time round
            person = (n // 10) % len(sessions)
            round_ = (n // 10) // len(sessions)
            occurrence = occurrences[(person + round_ * 7 + step) % len(occurrences)]
            yield "POST", base + f"/inscriptions/{occurrence}/", sessions[person]


def _send(session_pool, request):
    method, url, session = request
    http = session_pool()
    cookies = {}
    data = None
    if session:
        cookies["sessionid"] = session
    if method == "POST":
        csrf = secrets.token_hex(16)
        cookies["csrftoken"] = csrf
        data = {"csrfmiddlewaretoken": csrf}
    try:
        return http.request(method, url, data=data, cookies=cookies, allow_redirects=False, timeout=30).status_code
    except requests.RequestException:
        return "erreur"


def _drive(base, data, requests_iter, count):
    local = threading.local()

    def session_pool():
        if not hasattr(local, "http"):
            local.http = requests.Session()
        return local.http

    batch = list(itertools.islice(requests_iter, count))
    with ThreadPoolExecutor(max_workers=MEMORY_CLIENTS) as pool:
        return Counter(pool.map(lambda r: _send(session_pool, r), batch))


def _memory(env, data):
    server = None
    try:
        server, base = _start_server(env, 1)
        (worker,) = _workers(server.pid)
        mix = _mixed_requests(base, data)
        print(f"(b) Mémoire : gunicorn 1 worker sync (pid {worker}), {MEMORY_CLIENTS} fils clients")
        started = time.perf_counter()
        warm = _drive(base, data, mix, WARM_UP)
        before = _rss_kib(worker)
        print(f"  après {WARM_UP} requêtes de chauffe {dict(warm)} : RSS {before / 1024:.1f} Mio")
        started = time.perf_counter()
        codes = _drive(base, data, mix, REQUESTS)
        elapsed = time.perf_counter() - started
        workers_after = _workers(server.pid)
        after = _rss_kib(worker)
        growth = (after - before) / before
        print(f"  {REQUESTS} requêtes mêlées en {elapsed:.0f} s ({REQUESTS / elapsed:.0f} req/s) : HTTP {dict(codes)}")
        print(
            f"  RSS après : {after / 1024:.1f} Mio ; variation {growth:+.1%} (cible ± 5 %) ; "
            f"même worker : {workers_after == [worker]}"
        )
        no_5xx = all(isinstance(code, int) and code < 500 for code in codes)
        return abs(growth) <= 0.05 and no_5xx and workers_after == [worker]
    finally:
        _stop_server(server)


def run():
    database_url, drop = _bench_database()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE=os.environ.get("BENCH_SETTINGS", "settings.dev"),
        DJANGO_DEBUG="0",
        CONN_MAX_AGE="60",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    try:
        print(f"Base : {'PostgreSQL' if database_url.startswith('postgres') else 'SQLite'} (dédiée au benchmark)")
        print(f"Cache de pages : {'Redis' if env.get('REDIS_URL') else 'mémoire de chaque processus'}")
        _manage(env, "migrate", "--noinput", "-v0")
        data = _manage(
            env,
            "shell",
            script=SETUP % {"events": EVENTS, "recurring": RECURRING, "occurrences": OCCURRENCES, "members": MEMBERS},
        )
        ok_throughput = _throughput(env)
        ok_memory = _memory(env, data)
        print("Objectifs atteints." if ok_throughput and ok_memory else "OBJECTIFS NON ATTEINTS.")
    finally:
        drop()


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT)]
    run()
