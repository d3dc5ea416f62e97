"""Ratios to the ceiling: rendered pages and feeds next to a trivial view, at 200 and 1,000 events.

The issue's table ("Fast without the cache"): gunicorn on 127.0.0.1 with 2 sync workers
(BENCH_WORKERS), settings.dev with DEBUG off, PostgreSQL (or SQLite) in a dedicated database
created then dropped. The demo site is loaded, then events are added (10 % of them monthly
series) until BENCH_SIZES (default "200,1000") events exist. For each size, BENCH_CLIENTS client
threads (default 8) load each address for BENCH_SECONDS seconds (default 3):

- /healthz, the trivial view (one ``SELECT 1``): the ceiling;
- /agenda/ (list and month), an event page, a training page, /formations/, /ressources/,
  /recherche/?q=…, the home page, rendered (a unique ignored query parameter defeats the page
  cache), and « Mon compte » for a logged-in member;
- the full public feed, rendered, and its 304 (If-None-Match) rendered;
- /agenda/ served from the page cache (as deployed).

Each line prints requests per second, the workers' CPU time per request (from /proc: the figure
least moved by other load on the machine), both as a ratio to the ceiling, and the SQL queries
of one request (counted in-process with Django's test client). BENCH_ONLY=search (names as in
LABELS, comma-separated) restricts the load to those addresses, beside the ceiling.

The first size also prints what each middleware adds to the trivial view (in-process, CPU per
request, the stack cut after each one) and the whole stack's cost against no middleware at all.

BENCH_PROFILE=N also prints, for each address, the N functions with the most cumulated time in
one request and the N with the most own time (cProfile on CPU time, in-process through Django's test
client, page cache bypassed): ``BENCH_PROFILE=25 BENCH_SIZES=200 make bench BENCH=ratios``.
"""

import os
import sys
import threading
import time
from pathlib import Path

import requests

from tests.bench.bench_registrations import _bench_database, _cpu_seconds, _manage, _start_server

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
CLIENT_THREADS = int(os.environ.get("BENCH_CLIENTS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "200,1000").split(",") if s.strip()]
PROFILE = int(os.environ.get("BENCH_PROFILE", "0") or 0)
# BENCH_ONLY=search,agenda loads (and profiles) only those addresses, beside the ceiling.
ONLY = [name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()]

# Grows the site to %(events)d event pages, then prints the addresses to load, each address's
# query count (one in-process request) and, with BENCH_PROFILE, its profile.
SETUP = """
import cProfile, io, itertools, json, pstats, time
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site
from events.models import EventIndexPage, EventPage
from members.models import User
from trainings.models import TrainingPage
from tests.factories import events as event_factories
from tests.factories.events import make_events

site = Site.objects.get(is_default_site=True)
if site.hostname != "127.0.0.1":
    site.hostname, site.port = "127.0.0.1", 80
    site.save()
agenda = EventIndexPage.objects.first()
missing = %(events)d - EventPage.objects.count()
if missing > 0:
    event_factories._numbers = itertools.count(EventPage.objects.count() * 10)  # slugs unique across runs
    make_events(agenda, missing, recurring=missing // 10)
member = User.objects.get(email="membre@nantes.fr")
store = SessionStore()
store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(member.pk), "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = member.get_session_auth_hash()
store.create()
event = EventPage.objects.live().public().filter(occurrences__isnull=False).order_by("pk").first()
training = TrainingPage.objects.live().public().filter(occurrences__isnull=False).order_by("pk").first()
paths = {
    "agenda": "/agenda/",
    "agenda_month": "/agenda/?vue=mois",
    "event": event.url,
    "training": training.url,
    "trainings": "/formations/",
    "resources": "/ressources/",
    "search": "/recherche/?q=achat",
    "home": "/",
    "account": "/compte/",
    "feed": "/calendrier/agenda.ics",
}
only = %(only)r
paths = {name: path for name, path in paths.items() if not only or name in only}
anonymous = Client(HTTP_HOST="127.0.0.1")
logged_in = Client(HTTP_HOST="127.0.0.1")
logged_in.cookies["sessionid"] = store.session_key
etag = anonymous.get("/calendrier/agenda.ics?mesure=etag")["ETag"]
queries, profiles = {}, {}


def middleware_costs(rounds=8, per_round=100):
    # CPU µs per request of the trivial view through the stack cut after each middleware (the
    # first entry: no middleware at all), in-process through Django's WSGI handler; the best of
    # ``rounds`` interleaved rounds, the figure least moved by other load.
    import sys
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import override_settings

    def environ():
        return {"REQUEST_METHOD": "GET", "PATH_INFO": "/healthz", "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
                "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
                "wsgi.errors": sys.stderr, "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
                "HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.8", "HTTP_USER_AGENT": "bench"}

    stack = list(settings.MIDDLEWARE)
    handlers = []
    for end in range(len(stack) + 1):
        with override_settings(MIDDLEWARE=stack[:end]):
            handlers.append(WSGIHandler())
    best = [float("inf")] * len(handlers)
    for _round in range(rounds):
        for index, handler in enumerate(handlers):
            started = time.process_time()
            for _ in range(per_round):
                b"".join(handler(environ(), lambda *args: None))
            best[index] = min(best[index], (time.process_time() - started) * 1e6 / per_round)
    return [["(aucun middleware)", best[0]]] + [[name, best[i + 1]] for i, name in enumerate(stack)]
for name, path in paths.items():
    client = logged_in if name == "account" else anonymous
    sep = "&" if "?" in path else "?"
    client.get(f"{path}{sep}mesure=chauffe")
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(f"{path}{sep}mesure=requetes").status_code
    queries[name] = [len(ctx.captured_queries), status]
    if %(profile)d:
        profiler = cProfile.Profile(time.process_time)  # CPU time: waiting on PostgreSQL is not ours
        profiler.enable()
        client.get(f"{path}{sep}mesure=profil")
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        # Cumulated time from the view down (the middleware's wrappers are skipped), then own time.
        stats.sort_stats("cumulative").print_stats(r"^(?!.*(client|handlers|deprecation|middleware)\\.py)", %(profile)d)
        stats.sort_stats("tottime").print_stats(%(profile)d)
        profiles[name] = out.getvalue()
with CaptureQueriesContext(connection) as ctx:
    status = anonymous.get("/calendrier/agenda.ics?mesure=304", HTTP_IF_NONE_MATCH=etag).status_code
queries["feed_304"] = [len(ctx.captured_queries), status]
print("BENCH" + json.dumps({
    "paths": paths, "etag": etag, "session": store.session_key, "queries": queries, "profiles": profiles,
    "events": EventPage.objects.count(), "middleware": middleware_costs() if %(middleware)d else None,
}))
"""


def _load(server, url, *, bypass, headers=None, cookies=None, expect=200):
    """(req/s, CPU ms per request, errors): CLIENT_THREADS clients loop on ``url`` for SECONDS."""
    counter = iter(range(10**9))
    done, errors = [0], [0]
    lock = threading.Lock()
    sep = "&" if "?" in url else "?"

    def worker():
        session = requests.Session()
        if cookies:
            session.cookies.update(cookies)
        while time.perf_counter() < deadline:
            number = next(counter)
            target = f"{url}{sep}mesure={number}" if bypass else url
            # Each request from a visitor of its own (the server trusts one proxy): search's rate
            # limit, 60 a minute per person, would otherwise answer most of the load with 429s.
            visitor = {"X-Forwarded-For": f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"}
            try:
                response = session.get(
                    target, headers={**visitor, **(headers or {})}, timeout=30, allow_redirects=False
                )
                ok = response.status_code == expect
            except requests.RequestException:
                ok = False
            with lock:
                (done if ok else errors)[0] += 1

    for _ in range(WORKERS * 2):  # warm every worker
        requests.get(url, headers=headers, cookies=cookies, timeout=30)
    cpu = _cpu_seconds(server.pid)
    deadline = time.perf_counter() + SECONDS
    pool = [threading.Thread(target=worker) for _ in range(CLIENT_THREADS)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    total = done[0] + errors[0]
    cpu_ms = (_cpu_seconds(server.pid) - cpu) * 1000 / total if total else 0
    return done[0] / elapsed, cpu_ms, errors[0]


LABELS = {
    "ceiling": "trivial view /healthz (ceiling)",
    "agenda": "/agenda/ rendered",
    "agenda_month": "/agenda/?vue=mois rendered",
    "event": "event page rendered",
    "training": "training page rendered",
    "trainings": "/formations/ rendered",
    "resources": "/ressources/ rendered",
    "search": "/recherche/?q=achat rendered",
    "home": "home page rendered",
    "account": "« Mon compte » (logged in)",
    "feed": "full public feed rendered",
    "feed_304": "feed 304 (If-None-Match)",
    "agenda_cached": "cached /agenda/",
}


def _print_middleware(costs):
    """The trivial view's CPU per request as each middleware is added, and the whole stack's
    cost as a multiple of the bare one (the issue's target: at most 1.5×)."""
    bare = costs[0][1]
    print("\n  Middleware (vue triviale /healthz, en processus, µs CPU par requête, meilleur de 8 tours) :")
    previous = bare
    for name, cost in costs:
        print(f"    {name:<56} {cost:7.0f}  {cost - previous:+6.0f}")
        previous = cost
    print(f"    pile complète / pile nue : {costs[-1][1] / bare:.2f}×")


def run():
    database_url, drop = _bench_database()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE=os.environ.get("BENCH_SETTINGS", "settings.dev"),
        DJANGO_DEBUG="0",
        CONN_MAX_AGE="60",
        SITE_URL="http://127.0.0.1",
        PROXY_COUNT="1",
    )
    try:
        print(f"Base : {'PostgreSQL' if database_url.startswith('postgres') else 'SQLite'} (dédiée au benchmark)")
        started = time.perf_counter()
        _manage(env, "load_demo", "--migrate")
        print(f"Démo chargée en {time.perf_counter() - started:.0f} s", flush=True)
        print(f"Charge : gunicorn {WORKERS} workers sync, {CLIENT_THREADS} fils clients, {SECONDS:.0f} s par adresse")
        for size in SIZES:
            script = SETUP % {
                "events": size,
                "profile": PROFILE,
                "middleware": size == SIZES[0] and not ONLY,
                "only": ONLY,
            }
            data = _manage(env, "shell", script=script)
            server, base = _start_server(env, WORKERS)
            try:
                rows = {}
                rows["ceiling"] = _load(server, base + "/healthz", bypass=True)
                for name, path in data["paths"].items():
                    if ONLY and name not in ONLY:
                        continue
                    cookies = {"sessionid": data["session"]} if name == "account" else None
                    rows[name] = _load(server, base + path, bypass=True, cookies=cookies)
                if not ONLY or "feed_304" in ONLY:
                    rows["feed_304"] = _load(
                        server,
                        base + "/calendrier/agenda.ics",
                        bypass=True,
                        headers={"If-None-Match": data["etag"]},
                        expect=304,
                    )
                if not ONLY or "agenda_cached" in ONLY:
                    rows["agenda_cached"] = _load(server, base + "/agenda/", bypass=False)
            finally:
                server.terminate()
                server.wait(timeout=20)
            ceiling_rate, ceiling_cpu, _errors = rows["ceiling"]
            print(f"\n{data['events']} événements :")
            print(f"  {'request':<34} {'req/s':>7} {'CPU ms':>7} {'ratio':>7} {'CPU ratio':>9} {'SQL':>4} err")
            for name, (rate, cpu, errors) in rows.items():
                sql = data["queries"].get(name, ["-"])[0]
                print(
                    f"  {LABELS[name]:<34} {rate:7.1f} {cpu:7.1f} {rate / ceiling_rate:7.1%} "
                    f"{ceiling_cpu / cpu if cpu else 0:9.1%} {sql!s:>4} {errors}",
                    flush=True,
                )
            if data["middleware"]:
                _print_middleware(data["middleware"])
            for name, text in data["profiles"].items():
                print(f"\n--- profil : {LABELS[name]} ({size} événements) ---")
                print("\n".join(line for line in text.splitlines() if line.strip()))
    finally:
        drop()


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT)]
    run()
