"""Cached pages and feeds while registrations arrive: invalidation touches only what changed.

gunicorn on 127.0.0.1, settings.dev with DEBUG off, the page cache as deployed: Redis when
REDIS_URL is set (2 sync workers, BENCH_WORKERS), else each process's memory (then 1 worker,
so that every invalidation reaches the cache that answers). A dedicated database (PostgreSQL
from DATABASE_URL's server, created then dropped) holds a home page, /agenda/ with 40 events
(4 monthly series) and an occurrence of 10,000 seats on the first event's page.

For each address, BENCH_CLIENTS client threads (default 8) load it for BENCH_SECONDS seconds
(default 5) quietly, then again while 5 people per second register (BENCH_RATE, from a process of
its own) on that occurrence through the registration form (each a logged-in member). Addresses: cached
/agenda/, the cached public feed, an unrelated cached event page and, for information, the
owner page of the occurrence (renewed on each registration, by design).
Prints both rates and their ratio. Target: ≥ 50 % for the first three.
"""

import multiprocessing
import os
import sys
import time
from pathlib import Path

import requests

from tests.bench.bench_events import _load
from tests.bench.bench_registrations import (
    MEMBERS,
    _attempt,
    _bench_database,
    _manage,
    _start_server,
    _stop_server,
    bench_env,
)

ROOT = Path(__file__).resolve().parents[2]
CLIENT_THREADS = int(os.environ.get("BENCH_CLIENTS", "8"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
RATE = float(os.environ.get("BENCH_RATE", "5"))
PEOPLE = 300

SETUP = (
    MEMBERS
    + """
import json
from django.utils import timezone
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
pages = make_events(agenda, 40, recurring=4)
owner = pages[4]
start = timezone.now() + datetime.timedelta(days=20)
occurrence = Occurrence.objects.create(
    page=owner, kind="thematic", original_start=start, start=start, end=start + datetime.timedelta(hours=2),
    capacity=10000, audience="members",
)
print("BENCH" + json.dumps({
    "occurrence": occurrence.pk, "owner": owner.url, "unrelated": pages[5].url, "sessions": sessions,
}))
"""
)


def _register_at_pace(url, sessions, stopped, codes):
    """Registers one member after another at ``RATE`` per second until ``stopped`` is set."""
    started = time.perf_counter()
    for n, session in enumerate(sessions):
        if stopped.wait(max(started + n / RATE - time.perf_counter(), 0)):
            return
        codes.put(_attempt(url, session)[1])


class Registrations:
    """The registrations, in a process of their own: the load's client threads do not slow them."""

    def __init__(self, url, sessions):
        self.stopped, self.queue = multiprocessing.Event(), multiprocessing.Queue()
        self.process = multiprocessing.Process(target=_register_at_pace, args=(url, sessions, self.stopped, self.queue))
        self.codes = {}

    def start(self):
        self.process.start()

    def stop(self):
        self.stopped.set()
        self.process.join(timeout=60)
        while not self.queue.empty():
            code = self.queue.get()
            self.codes[code] = self.codes.get(code, 0) + 1


def run():
    database_url, drop = _bench_database()
    redis = bool(os.environ.get("REDIS_URL"))
    workers = int(os.environ.get("BENCH_WORKERS", "2")) if redis else 1
    env = bench_env(database_url)
    server = None
    try:
        print(f"Base : {'PostgreSQL' if database_url.startswith('postgres') else 'SQLite'} (dédiée au benchmark)")
        print(f"Cache de pages : {'Redis' if redis else 'mémoire du processus'} ; gunicorn {workers} worker(s) sync")
        _manage(env, "migrate", "--noinput", "-v0")
        data = _manage(env, "shell", script=SETUP % {"people": PEOPLE})
        server, base = _start_server(env, workers)
        register_url = f"{base}/inscriptions/{data['occurrence']}/"
        sessions = iter(data["sessions"])
        print(f"{CLIENT_THREADS} fils clients, {SECONDS:.0f} s par mesure ; inscriptions : {RATE:g} par seconde")
        ok = True
        for label, path, counts in (
            ("/agenda/ (cache)", "/agenda/", True),
            ("flux public (cache)", "/calendrier/agenda.ics", True),
            ("page d'événement sans rapport (cache)", data["unrelated"], True),
            ("page de la date où l'on s'inscrit", data["owner"], False),
        ):
            for _ in range(workers * 3):  # warm every worker and its cache
                cache_control = requests.get(base + path, timeout=10).headers.get("Cache-Control")
            quiet = _load(base + path, SECONDS, CLIENT_THREADS, bypass_cache=False)[0]
            batch = [next(sessions) for _ in range(int(SECONDS * RATE) + 5)]
            registrations = Registrations(register_url, batch)
            registrations.start()
            busy = _load(base + path, SECONDS, CLIENT_THREADS, bypass_cache=False)[0]
            registrations.stop()
            ratio = busy / quiet if quiet else 0
            ok = ok and (ratio >= 0.5 or not counts) and set(registrations.codes) <= {302}
            print(
                f"  {label:<40} au calme {quiet:6.0f} req/s ; pendant les inscriptions {busy:6.0f} req/s "
                f"= {ratio:.0%}{' (cible ≥ 50 %)' if counts else ' (pour information)'} ; "
                f"inscriptions : {registrations.codes} ; Cache-Control « {cache_control} »"
            )
        print("Objectifs atteints." if ok else "OBJECTIFS NON ATTEINTS.")
    finally:
        _stop_server(server)
        drop()


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT)]
    run()
