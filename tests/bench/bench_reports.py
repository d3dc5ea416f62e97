"""The activity report over a big year: 100,000 registrations and 300,000 attendance records.

Concurrency: one process, one request at a time (the report is read by the director, not by
crowds). A dedicated bench database (PostgreSQL on DATABASE_URL's server, created then dropped;
SQLite otherwise) is filled with bulk inserts, then ``reports.figures.compute`` (the function
behind the admin page, exports and command, with the year-over-year comparison) is timed on a
small data set and on the full one. Targets: under 1 s, and the same number of queries.
"""

import json
import os
import secrets
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
REGISTRATIONS = int(os.environ.get("BENCH_REGISTRATIONS", "100000"))
PARTS_PER_OCCURRENCE = 3
PER_OCCURRENCE = 50

SCRIPT = r"""
import datetime, json, statistics, time, zoneinfo
from decimal import Decimal
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from members.models import Organisation, User
from registrations.models import Attendance, Occurrence, OccurrencePart, Registration
from reports.figures import compute
from base.periods import year_period
from timesheets.models import TimeEntry

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
KINDS = ["thematic", "webinar", "training", "working_group_meeting", "awareness_day", "market_engagement"]
STATUSES = ["present"] * 7 + ["late", "absent", "excused"]
REGIONS, ORG_KINDS = ["pdl", "bre", "cvl"], ["commune", "intercommunalite", "departement", "region"]

root = Page.get_first_root_node()
page = root.add_child(instance=Page(title="Banc d'essai du rapport", slug="bench-rapport"))
organisations = Organisation.objects.bulk_create(
    Organisation(name=f"Collectivité {n}", kind=ORG_KINDS[n % 4], siren=f"{n:09d}", region=REGIONS[n % 3],
                 member_since=datetime.date(2010 + n % 15, 1, 1)) for n in range(130)
)
staff = User.objects.create_user("bench-staff@reseco.fr", first_name="Équipe", last_name="Bench", is_staff=True)


def build(first_occurrence, occurrences):
    started = time.perf_counter()
    rows = []
    for n in range(first_occurrence, first_occurrence + occurrences):
        day = datetime.date(2025, 1, 1) + datetime.timedelta(days=n % 360)
        start = datetime.datetime.combine(day, datetime.time(9), PARIS) + datetime.timedelta(minutes=n // 360)
        rows.append(Occurrence(page=page, kind=KINDS[n % len(KINDS)], original_start=start, start=start,
                               end=start + datetime.timedelta(days=1, hours=8), capacity=60))
    created = Occurrence.objects.bulk_create(rows, batch_size=2000)
    parts = []
    for occurrence in created:
        day = occurrence.start.astimezone(PARIS).date()
        for date, kind, opens, closes in ((day, "morning", 9, 12.5), (day, "afternoon", 13.5, 17),
                                          (day + datetime.timedelta(days=1), "morning", 9, 12.5)):
            at = datetime.datetime.combine(date, datetime.time(0), PARIS)
            parts.append(OccurrencePart(occurrence=occurrence, date=date, kind=kind,
                                        start=at + datetime.timedelta(hours=opens),
                                        end=at + datetime.timedelta(hours=closes)))
    parts = OccurrencePart.objects.bulk_create(parts, batch_size=5000)
    by_occurrence = {}
    for part in parts:
        by_occurrence.setdefault(part.occurrence_id, []).append(part)
    registrations = []
    for occurrence in created:
        for k in range(%(per_occurrence)d):
            n = occurrence.pk * 1000 + k
            organisation = organisations[n % 130] if k % 10 else None
            registrations.append(Registration(
                occurrence=occurrence, first_name="P", last_name=str(n), email=f"p{n %% 40000}@exemple.fr",
                organisation=organisation, organisation_name=organisation.name if organisation else "Autre",
                status="confirmed" if k %% 20 else "cancelled", token=f"bench-{n}"))
    registrations = Registration.objects.bulk_create(registrations, batch_size=5000)
    attendance = [
        Attendance(registration=r, part=part, status=STATUSES[(r.pk + i) %% len(STATUSES)])
        for r in registrations for i, part in enumerate(by_occurrence[r.occurrence_id])
    ]
    Attendance.objects.bulk_create(attendance, batch_size=10000)
    TimeEntry.objects.bulk_create(
        TimeEntry(person=staff, date=datetime.date(2025, 1, 1) + datetime.timedelta(days=n %% 360),
                  hours=Decimal("1.5"), activity=["helpdesk", "coordination", "communication"][n %% 3])
        for n in range(first_occurrence * 3, (first_occurrence + occurrences) * 3)
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return len(registrations), len(attendance), time.perf_counter() - started


def measure():
    compute(year_period(2025))  # warm-up
    times = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            report = compute(year_period(2025))
            times.append(time.perf_counter() - started)
    return statistics.median(times), len(queries), report.figures["registrations"].value


small_occurrences = 20
total_occurrences = max(%(registrations)d // %(per_occurrence)d, small_occurrences + 1)
r1, a1, b1 = build(0, small_occurrences)
t1, q1, n1 = measure()
r2, a2, b2 = build(small_occurrences, total_occurrences - small_occurrences)
t2, q2, n2 = measure()
print("BENCH" + json.dumps({
    "small": {"registrations": r1, "attendance": a1, "seconds": t1, "queries": q1, "confirmed": n1},
    "large": {"registrations": r1 + r2, "attendance": a1 + a2, "seconds": t2, "queries": q2, "confirmed": n2,
              "build_seconds": b1 + b2},
}))
"""


def _bench_database():
    """(database URL, cleanup function)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parsed = urlparse(url)
        name = f"reseco_bench_reports_{secrets.token_hex(3)}"
        admin = urlunparse(parsed._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return urlunparse(parsed._replace(path=f"/{name}")), drop
    directory = tempfile.mkdtemp(prefix="reseco-bench-")
    return f"sqlite:///{directory}/bench.sqlite3", lambda: None


def _manage(env, *args, script=None):
    command = [PYTHON, "manage.py", *args] + (["-c", script] if script else [])
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(result.stderr[-3000:])
    line = next((line for line in result.stdout.splitlines() if line.startswith("BENCH")), None)
    return json.loads(line[5:]) if line else None


def run():
    database_url, drop = _bench_database()
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="settings.dev", DJANGO_DEBUG="0")
    try:
        print(f"Base : {'PostgreSQL' if database_url.startswith('postgres') else 'SQLite'} (dédiée au benchmark)")
        _manage(env, "migrate", "--noinput", "-v0")
        script = (
            SCRIPT.replace("%(registrations)d", str(REGISTRATIONS))
            .replace("%(per_occurrence)d", str(PER_OCCURRENCE))
            .replace("%%", "%")
        )
        data = _manage(env, "shell", script=script)
    finally:
        if os.environ.get("BENCH_KEEP"):
            print(f"Base conservée : {database_url}")
        else:
            drop()
    small, large = data["small"], data["large"]
    print(f"Données construites en {large['build_seconds']:.1f} s (insertions en masse).")
    for label, figures in (("petit jeu", small), ("grand jeu", large)):
        print(
            f"{label} : {figures['registrations']:>7} inscriptions, {figures['attendance']:>7} présences → "
            f"rapport (avec l'année précédente) en {figures['seconds'] * 1000:.0f} ms, {figures['queries']} requêtes"
        )
    ok_time = large["seconds"] < 1
    ok_queries = large["queries"] == small["queries"]
    print(
        f"Objectif < 1 s : {'atteint' if ok_time else 'MANQUÉ'} ; nombre de requêtes constant : "
        f"{'oui' if ok_queries else 'NON'}"
    )
