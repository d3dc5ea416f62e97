"""CPU of one registration: the web request and its e-mail task, measured in-process.

Concurrency: none (one process, one registration at a time), so that the figure is the work
itself, not waiting. settings.dev with DEBUG off, tasks through the database backend (as
deployed), e-mails to memory, PostgreSQL (or SQLite) in a dedicated database created then dropped.
An occurrence of BENCH_SEATS seats (default 50) receives BENCH_PEOPLE (default 200) logged-in
members' registration POSTs through Django's test client and the full middleware stack: the
first BENCH_SEATS are confirmed, the rest waitlisted. Then each enqueued e-mail task is run as
the worker runs it. Prints the CPU time (``time.process_time``) per registration for the web
request and for its task, separately for confirmed and waitlisted ones, and the total.
Target: web + task < 10 ms.

BENCH_PROFILE=N (default 20) also prints the N functions with the most cumulated and own CPU
time over 20 web requests and their 20 tasks (cProfile timed by ``time.process_time``, so that
waiting for the database or for a core does not count; 10 more registrations on another date
warm both paths up first).
"""

import os
import sys
from pathlib import Path

from tests.bench.bench_registrations import MEMBERS, OCCURRENCES, _bench_database, _manage, bench_env

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "200"))
SEATS = int(os.environ.get("BENCH_SEATS", "50"))
PROFILE = int(os.environ.get("BENCH_PROFILE", "20") or 0)

SCRIPT = (
    MEMBERS
    + OCCURRENCES
    + """
import cProfile, io, json, pstats, statistics, time
from django.test import Client
from django_tasks_db.models import DBTaskResult
from registrations.models import Registration

occurrence, warm_up = occurrences
clients = []
for session in sessions:
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = session
    # One handler for all, as a worker has: each new handler would build the middleware chain
    # again on its first request, which a server does once per process.
    client.handler = clients[0].handler if clients else client.handler
    clients.append(client)
url = f"/inscriptions/{occurrence.pk}/"
FORM = "application/x-www-form-urlencoded"  # what a browser posts (the test client's default is multipart)
clients[0].get(url)
# Warm-up, not measured: imports, templates, translations, compiled queries, on both paths
# (confirmed and waitlisted) and their e-mails.
for client in clients[:10]:
    client.post(f"/inscriptions/{warm_up.pk}/", "", content_type=FORM)
for result in DBTaskResult.objects.all():
    result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
DBTaskResult.objects.all().delete()

def profiled(profiler, fn):
    if profiler is None:
        return fn()
    profiler.enable()
    try:
        return fn()
    finally:
        profiler.disable()

def report(profiler):
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(r"^(?!.*(client|handlers|deprecation|exception)\\.py)", %(profile)d)
    stats.sort_stats("tottime").print_stats(%(profile)d)
    return out.getvalue()

# Profiles cover 10 confirmed and 10 waitlisted registrations (and their tasks), not timed.
PROFILED = set(range(%(seats)d - 10, %(seats)d + 10)) if %(profile)d else set()
web_profiler = cProfile.Profile(time.process_time) if %(profile)d else None
web = {"confirmed": [], "waitlisted": []}
codes = {}
for n, client in enumerate(clients):
    before = time.process_time()
    response = profiled(web_profiler if n in PROFILED else None, lambda: client.post(url, "", content_type=FORM))
    spent = time.process_time() - before
    codes[response.status_code] = codes.get(response.status_code, 0) + 1
    if n not in PROFILED:
        web["confirmed" if n < %(seats)d else "waitlisted"].append(spent)

task_profiler = cProfile.Profile(time.process_time) if %(profile)d else None
tasks = {"confirmed": [], "waitlisted": []}
order = {pk: n for n, pk in enumerate(Registration.objects.filter(occurrence=occurrence).order_by("created_at", "pk")
                                         .values_list("pk", flat=True))}
for result in DBTaskResult.objects.order_by("enqueued_at", "id"):
    task, args, kwargs = result.task, result.args_kwargs["args"], result.args_kwargs["kwargs"]
    registration_id, kind = args[0], args[1]
    n = order[registration_id]
    before = time.process_time()
    profiled(task_profiler if n in PROFILED else None, lambda: task.call(*args, **kwargs))
    spent = time.process_time() - before
    if n not in PROFILED:
        tasks[kind].append(spent)

statuses = {}
for status in Registration.objects.filter(occurrence=occurrence).values_list("status", flat=True):
    statuses[status] = statuses.get(status, 0) + 1
print("BENCH" + json.dumps({
    "codes": codes, "statuses": statuses,
    "web": {k: statistics.mean(v) if v else 0 for k, v in web.items()},
    "task": {k: statistics.mean(v) if v else 0 for k, v in tasks.items()},
    "counts": {"web": {k: len(v) for k, v in web.items()}, "task": {k: len(v) for k, v in tasks.items()}},
    "profiles": {"web": report(web_profiler), "task": report(task_profiler)} if %(profile)d else {},
}))
"""
)


def run():
    database_url, drop = _bench_database()
    env = bench_env(database_url, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    try:
        print(f"Base : {'PostgreSQL' if database_url.startswith('postgres') else 'SQLite'} (dédiée au benchmark)")
        _manage(env, "migrate", "--noinput", "-v0")
        data = _manage(
            env,
            "shell",
            script=SCRIPT % {"seats": SEATS, "people": PEOPLE, "profile": PROFILE, "capacities": [SEATS, 5]},
        )
        print(f"Concurrence : aucune (un processus) ; {PEOPLE} membres, {SEATS} places")
        print(f"Réponses HTTP : {data['codes']} ; résultat en base : {data['statuses']}")
        totals = []
        for kind, label in (("confirmed", "confirmée"), ("waitlisted", "en liste d'attente")):
            web, task = data["web"][kind] * 1000, data["task"][kind] * 1000
            totals.append(web + task)
            print(
                f"CPU par inscription {label} : requête web {web:.1f} ms + tâche e-mail {task:.1f} ms "
                f"= {web + task:.1f} ms (cible < 10 ms)"
            )
        ok = max(totals) < 10 and data["statuses"] == {"confirmed": SEATS, "waitlisted": PEOPLE - SEATS}
        print("Objectifs atteints." if ok else "OBJECTIFS NON ATTEINTS.")
        for name, profile in data["profiles"].items():
            print(f"\n--- Profil ({'requête web' if name == 'web' else 'tâche e-mail'}, 20 inscriptions) ---")
            print(profile)
    finally:
        drop()


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT)]
    run()
