"""Stripe webhook throughput and idempotency under concurrency, through the real HTTP stack.

Concurrency: gunicorn on 127.0.0.1 (4 sync workers, BENCH_WORKERS) backed by a dedicated bench
database (PostgreSQL from DATABASE_URL's server, created then dropped; SQLite otherwise); 20
client threads (BENCH_CLIENTS).
1. Throughput: 300 distinct, correctly signed ``checkout.session.completed`` events, one per
   pending payment, all for the SAME run (the worst case: each fulfilment locks the run's row,
   and every invoice takes the year's numbering row). Target: ≥ 20 events/s and p95 ≤ 2 s — a
   run has a few dozen seats and Stripe retries anything that fails, so this is ample.
2. Idempotency: for one more payment, 40 copies of the same event plus 40 events with other ids
   for the same session, all at once. Target: one confirmation, one invoice, one confirmation
   e-mail enqueued, 41 events recorded.
Prints the figures.
"""

import hashlib
import hmac
import json
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from .bench_registrations import _bench_database, _manage, _start_server

PAYMENTS = 300
COPIES = 40
CLIENT_THREADS = int(os.environ.get("BENCH_CLIENTS", "20"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
SECRET = "whsec_bench_secret"

SETUP = """
import datetime, json
from decimal import Decimal
from django.utils import timezone
from wagtail.models import Page
from registrations.models import Occurrence, Registration
from payments.models import Payment

root = Page.get_first_root_node()
page = root.add_child(instance=Page(title="Formation (banc d'essai)", slug="bench-paiements"))
start = timezone.now() + datetime.timedelta(days=20)
occurrence = Occurrence.objects.create(
    page=page, kind="training", original_start=start, start=start, end=start + datetime.timedelta(hours=7),
    capacity=%(count)d + 1, audience="everyone",
)
hold = timezone.now() + datetime.timedelta(minutes=31)
registrations = Registration.objects.bulk_create(
    Registration(occurrence=occurrence, first_name="Bench", last_name=str(n), email=f"pay{n}@exemple.fr",
                 status="pending_payment", hold_expires_at=hold) for n in range(%(count)d + 1)
)
Payment.objects.bulk_create(
    Payment(registration=r, method="card", price_category="member", description="Formation",
            amount_ht=Decimal("300"), vat_rate=Decimal("20"), vat_amount=Decimal("60"), amount=Decimal("360"),
            stripe_session_id=f"cs_bench_{n}") for n, r in enumerate(registrations)
)
print("BENCH" + json.dumps({"occurrence": occurrence.pk}))
"""

CHECK = """
import json
from collections import Counter
from django_tasks_db.models import DBTaskResult
from payments.models import Invoice, Payment, StripeEvent
from registrations.models import Registration, RegistrationChange
last = Payment.objects.get(stripe_session_id="cs_bench_%(count)d")
print("BENCH" + json.dumps({
    "payments": Counter(Payment.objects.values_list("status", flat=True)),
    "registrations": Counter(Registration.objects.values_list("status", flat=True)),
    "invoices": Invoice.objects.count(),
    "events": StripeEvent.objects.count(),
    "last_confirmations": RegistrationChange.objects.filter(registration=last.registration, to_status="confirmed").count(),
    "last_invoices": Invoice.objects.filter(payment=last).count(),
    "last_emails": sum(
        1 for r in DBTaskResult.objects.filter(task_path__endswith="send_registration_email")
        if r.args_kwargs["args"][0] == last.registration_id
    ),
}))
"""


def _signed(event):
    payload = json.dumps(event)
    timestamp = int(time.time())
    digest = hmac.new(SECRET.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return payload, {"Stripe-Signature": f"t={timestamp},v1={digest}", "Content-Type": "application/json"}


def _event(event_id, n):
    session = {
        "id": f"cs_bench_{n}",
        "object": "checkout.session",
        "status": "complete",
        "payment_status": "paid",
        "amount_total": 36000,
        "payment_intent": f"pi_bench_{n}",
    }
    return {"id": event_id, "object": "event", "type": "checkout.session.completed", "data": {"object": session}}


def _post(url, event):
    payload, headers = _signed(event)
    started = time.perf_counter()
    response = requests.post(url, data=payload, headers=headers, timeout=30)
    return time.perf_counter() - started, response.status_code


def _figures(results, elapsed):
    latencies = sorted(r[0] for r in results)
    codes = {}
    for _, code in results:
        codes[code] = codes.get(code, 0) + 1
    p95 = latencies[int(round(0.95 * len(latencies))) - 1]
    return codes, statistics.median(latencies), p95, len(results) / elapsed


def run():
    database_url, drop = _bench_database()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="settings.dev",
        DJANGO_DEBUG="0",
        CONN_MAX_AGE="60",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        STRIPE_SECRET_KEY="sk_test_bench",
        STRIPE_WEBHOOK_SECRET=SECRET,
    )
    server = None
    try:
        print(f"Base : {'PostgreSQL' if database_url.startswith('postgres') else 'SQLite'} (dédiée au benchmark)")
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "shell", script=SETUP % {"count": PAYMENTS})
        server, base = _start_server(env, WORKERS)
        url = f"{base}/payments/stripe/webhook/"
        for n in range(WORKERS * 2):  # warm up every worker with ignored events (not timed)
            _post(url, {"id": f"evt_warm_{n}", "type": "customer.created", "data": {"object": {"id": "cus"}}})

        events = [_event(f"evt_bench_{n}", n) for n in range(PAYMENTS)]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=CLIENT_THREADS) as pool:
            results = list(pool.map(lambda e: _post(url, e), events))
        codes, p50, p95, rate = _figures(results, time.perf_counter() - started)
        print(f"Débit : {PAYMENTS} événements distincts, {CLIENT_THREADS} fils clients, gunicorn {WORKERS} workers")
        print(f"  réponses HTTP {codes} ; {rate:.0f} événements/s ; p50 {p50 * 1000:.0f} ms ; p95 {p95 * 1000:.0f} ms")

        same = _event("evt_bench_same", PAYMENTS)
        storm = [same] * COPIES + [_event(f"evt_bench_other_{n}", PAYMENTS) for n in range(COPIES)]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=CLIENT_THREADS) as pool:
            storm_results = list(pool.map(lambda e: _post(url, e), storm))
        storm_codes, storm_p50, storm_p95, _rate = _figures(storm_results, time.perf_counter() - started)
        check = _manage(env, "shell", script=CHECK % {"count": PAYMENTS})
        print(f"Idempotence : {COPIES} copies du même événement + {COPIES} autres événements pour la même session")
        print(f"  réponses HTTP {storm_codes} ; p50 {storm_p50 * 1000:.0f} ms ; p95 {storm_p95 * 1000:.0f} ms")
        print(
            f"  confirmations {check['last_confirmations']} ; factures {check['last_invoices']} ; "
            f"e-mails mis en file {check['last_emails']}"
        )
        print(
            f"En base : paiements {check['payments']} ; inscriptions {check['registrations']} ; "
            f"factures {check['invoices']} ; événements enregistrés {check['events']}"
        )
        ok = (
            codes == {200: PAYMENTS}
            and set(storm_codes) == {200}
            and check["payments"] == {"paid": PAYMENTS + 1}
            and check["invoices"] == PAYMENTS + 1
            and check["last_confirmations"] == 1
            and check["last_invoices"] == 1
            and check["last_emails"] == 1
            and check["events"] == WORKERS * 2 + PAYMENTS + 1 + COPIES
            and rate >= 20
            and p95 <= 2.0
        )
        print("Objectifs atteints." if ok else "OBJECTIFS NON ATTEINTS.")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        drop()
