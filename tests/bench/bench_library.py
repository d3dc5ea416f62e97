"""The library under load: /ressources/ and a search, with 1,000 resources.

Concurrency: gunicorn on 127.0.0.1 (BENCH_WORKERS sync workers, default 4) loaded by
BENCH_CLIENTS client threads (default 16) for BENCH_SECONDS seconds per address (default 5).
A dedicated bench database (PostgreSQL on DATABASE_URL's server, created then dropped; SQLite
otherwise) gets a site with BENCH_RESOURCES resources (default 1,000), a tenth of them
members-only minutes; the server is stopped and the database dropped at the end. The shared
cache of anonymous pages is switched off (PAGE_CACHE_SECONDS=0) so every request is rendered.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.bench.bench_events import _load
from tests.bench.bench_registrations import _bench_database, _free_port, _manage

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CLIENT_THREADS = int(os.environ.get("BENCH_CLIENTS", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
RESOURCES = int(os.environ.get("BENCH_RESOURCES", "1000"))

SETUP = r"""
import json, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site
from home.models import HomePage
from resources.models import GuidePage, MinutesPage, ResourceIndexPage
from search.models import SearchPage
from sectors.models import Sector

started = time.perf_counter()
root = Page.get_first_root_node()
home = root.add_child(instance=HomePage(title="RESECO", slug="bench-accueil"))
Site.objects.all().delete()
Site.objects.create(hostname="127.0.0.1", port=80, root_page=home, is_default_site=True, site_name="RESECO")
library = home.add_child(instance=ResourceIndexPage(title="Ressources", slug="ressources"))
home.add_child(instance=SearchPage(title="Recherche", slug="recherche"))
sectors = list(Sector.objects.all())
for n in range(%(resources)d):
    kwargs = dict(
        summary="Critères pour la restauration collective, le nettoyage et les fournitures.",
        sector=sectors[n %% len(sectors)], year=2010 + n %% 15,
    )
    if n %% 10 == 9:
        page = library.add_child(instance=MinutesPage(title=f"Compte rendu n° {n}", **kwargs))
        page.save_revision().publish()  # members-only on first publication
    else:
        library.add_child(instance=GuidePage(title=f"Guide de restauration collective n° {n}", **kwargs))
build = time.perf_counter() - started
client = Client(HTTP_HOST="127.0.0.1")
client.cookies["sessionid"] = "bench"  # past the shared page cache: every request is rendered
counts = {}
for url in ("/ressources/", "/recherche/?q=restauration"):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    counts[url] = [len(queries), status]
print("BENCH" + json.dumps({"build": build, "counts": counts}))
"""

TARGETS = (
    ("/healthz (plafond)", "/healthz"),
    ("/ressources/", "/ressources/"),
    ("/ressources/ filtrée", "/ressources/?type=guide&secteur=textiles&page=2"),
    ("/recherche/?q=restauration", "/recherche/?q=restauration"),
    ("recherche + facettes", "/recherche/?q=restauration&type=guide&secteur=nettoyage"),
)


def _wait_for(base):
    for _ in range(150):
        try:
            if requests.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn n'a pas démarré")


def run():
    database_url, drop = _bench_database()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="settings.dev",
        DJANGO_DEBUG="0",
        CONN_MAX_AGE="60",
        # Search indexing runs inline while the bench site is built (no worker needed).
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        # Every request is rendered: the shared cache of anonymous pages would only measure itself.
        PAGE_CACHE_SECONDS="0",
    )
    server = None
    try:
        print(f"Base : {'PostgreSQL' if database_url.startswith('postgres') else 'SQLite'} (dédiée au benchmark)")
        _manage(env, "migrate", "--noinput", "-v0")
        data = _manage(env, "shell", script=SETUP % {"resources": RESOURCES})
        print(f"{RESOURCES} ressources créées et indexées en {data['build']:.0f} s")
        for url, (queries, status) in data["counts"].items():
            print(f"  {url} : {queries} requêtes SQL, HTTP {status}")

        port = _free_port()
        server = subprocess.Popen(
            [GUNICORN, "--pythonpath", "site", "wsgi:application", "--workers", str(WORKERS),
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        _wait_for(base)
        print(f"Charge : gunicorn {WORKERS} workers sync, {CLIENT_THREADS} fils clients, {SECONDS:.0f} s par adresse")
        for label, path in TARGETS:
            for _ in range(WORKERS * 2):  # warm every worker
                requests.get(base + path, timeout=10)
            rate, p50, p95, errors = _load(base + path, SECONDS, CLIENT_THREADS, bypass_cache=False)
            print(
                f"  {label:<28} {rate:7.0f} req/s  p50 {p50 * 1000:5.0f} ms  p95 {p95 * 1000:5.0f} ms  erreurs {errors}"
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        drop()


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT)]
    run()
