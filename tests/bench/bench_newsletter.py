"""Sending an issue of the letter to 10,000 recipients through a real SMTP server (aiosmtpd on
127.0.0.1, in this process), the way the worker does it: one delivery row per recipient,
claimed with SELECT … FOR UPDATE SKIP LOCKED, sent, and marked, one at a time.

Concurrency: one sending worker (the batch function in a `manage.py shell` process, no rate
limit) on a first issue sent to 1,000 of them, then BENCH_NEWSLETTER_WORKERS (4) workers at once
on a second issue sent to all 10,000 (they share the rows through SKIP LOCKED). Dedicated bench database (PostgreSQL from DATABASE_URL's server, created then
dropped; SQLite otherwise, one worker only). Prints the rate, the worker's peak memory, and
checks that every recipient got exactly one copy.
"""

import json
import os
import subprocess
import time
from collections import Counter

from tests.newsletter.smtp import SMTPServer

from .bench_registrations import PYTHON, ROOT, _bench_database, _manage

RECIPIENTS = int(os.environ.get("BENCH_NEWSLETTER_RECIPIENTS", "10000"))
SINGLE = min(1000, RECIPIENTS)
WORKERS = int(os.environ.get("BENCH_NEWSLETTER_WORKERS", "4"))

SETUP = """
import json
from django.utils import timezone
from wagtail.models import Page
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage, Sending, Subscriber
from newsletter.services import materialise

root = Page.get_first_root_node()
index = root.add_child(instance=NewsletterIndexPage(title="Lettre (banc d'essai)", slug="lettre-bench"))
body = [
    {"type": "editorial", "value": {"heading": "Éditorial", "text": "<p>" + "Des nouvelles du réseau. " * 40 + "</p>", "members_only": False}},
    {"type": "agenda", "value": {"heading": "Prochains rendez-vous", "days": 60, "members_only": False}},
    {"type": "call_to_action", "value": {"text": "Venez", "button": "S'inscrire", "url": "https://exemple.fr/", "members_only": False}},
]
sendings = []
for n in (1, 2):
    issue = index.add_child(instance=NewsletterIssuePage(title=f"Lettre n° {n}", slug=f"n{n}", body=body))
    issue.save_revision().publish()
    issue.refresh_from_db()
    sendings.append(Sending.objects.create(issue=issue, revision=issue.live_revision, scheduled_at=timezone.now()))
Subscriber.objects.bulk_create(
    [Subscriber(email=f"abonne{n}@exemple.fr", status="active", confirmed_at=timezone.now()) for n in range(%(count)d)],
    batch_size=5000,
)
for sending in sendings:
    materialise(sending.pk)
first = sendings[0].deliveries.order_by("pk")
first.filter(pk__gt=first[%(single)d - 1].pk).delete()
print("BENCH" + json.dumps([s.pk for s in sendings]))
"""

WORKER = """
import json, resource, time
from django.conf import settings
for key, value in json.loads(%(smtp)r).items():
    setattr(settings, key, value)
from newsletter.services import deliver_all
started = time.perf_counter()
before = resource.getrusage(resource.RUSAGE_SELF)
deliver_all(%(sending)d, rate=0)
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
print("BENCH" + json.dumps({"seconds": time.perf_counter() - started, "cpu": cpu, "max_rss_kb": usage.ru_maxrss}))
"""


def _worker(env, server, sending):
    script = WORKER % {"smtp": json.dumps(server.settings()), "sending": sending}
    return subprocess.Popen(
        [PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )


def _result(process):
    out, _err = process.communicate()
    line = next(line for line in out.splitlines() if line.startswith("BENCH"))
    return json.loads(line[5:])


def _check(server, start, expected):
    copies = Counter(server.recorder.recipients()[start:])
    twice = sum(1 for n in copies.values() if n > 1)
    print(f"  exemplaires reçus : {sum(copies.values())}, destinataires distincts : {len(copies)}, en double : {twice}")
    assert len(copies) == expected and twice == 0


def run():
    database_url, drop = _bench_database()
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="settings.dev", DJANGO_DEBUG="0")
    postgres = database_url.startswith("postgres")
    try:
        print(f"Base : {'PostgreSQL' if postgres else 'SQLite'} (dédiée au benchmark) ; {RECIPIENTS} destinataires")
        _manage(env, "migrate", "--noinput", "-v0")
        first, second = _manage(env, "shell", script=SETUP % {"count": RECIPIENTS, "single": SINGLE})
        with SMTPServer(keep=False) as server:
            started = time.perf_counter()
            result = _result(_worker(env, server, first))
            wall = time.perf_counter() - started
            print(
                f"1 processus, {SINGLE} destinataires : {SINGLE / result['seconds']:.0f} messages/s "
                f"({result['seconds']:.1f} s d'envoi, {wall:.1f} s avec le démarrage), "
                f"mémoire maximale du processus {result['max_rss_kb'] / 1024:.0f} Mo, "
                f"{result['cpu'] * 1000 / SINGLE:.1f} ms de processeur par message (le reste : attente du serveur SMTP "
                f"et de la base)"
            )
            _check(server, 0, SINGLE)
            workers = WORKERS if postgres else 1
            start = len(server.recorder.messages)
            started = time.perf_counter()
            results = [_result(w) for w in [_worker(env, server, second) for _ in range(workers)]]
            seconds = max(r["seconds"] for r in results)
            print(
                f"{workers} processus ensemble, {RECIPIENTS} destinataires : {RECIPIENTS / seconds:.0f} messages/s "
                f"({seconds:.1f} s), mémoire maximale {max(r['max_rss_kb'] for r in results) / 1024:.0f} Mo par processus"
            )
            _check(server, start, RECIPIENTS)
    finally:
        drop()
