"""Two application processes, one PostgreSQL: registrations, waiting lists and Stripe webhooks
stay correct across them, because nothing depends on a process's memory.

The test starts two gunicorn servers on free 127.0.0.1 ports with the test settings (whose
"default" cache is a per-process memory cache) against the test database, then drives them over
HTTP: 40 members race for 10 seats, half through each server; a cancellation on A promotes the
first waiting member, as B shows; the same webhook event delivered to both is fulfilled once.
A control runs the same race on servers whose engine lock is removed and sees the overbooking.
"""

import datetime
import json
import os
import secrets
import socket
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.urls import reverse
from django.utils import timezone

import pytest
import requests

from payments.models import Invoice, StripeEvent
from registrations.models import Registration, RegistrationChange
from registrations.models import RegistrationStatus as S
from registrations.services import waitlist_positions
from tests.factories import MemberFactory
from tests.factories.payments import PaymentFactory
from tests.factories.registrations import OccurrenceFactory
from tests.payments.stripe_fake import WEBHOOK_SECRET, event, signature_header

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PEOPLE, SEATS = 40, 10

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _test_database_url():
    settings = connection.settings_dict
    parsed = urlparse(os.environ.get("DATABASE_URL", "postgres://127.0.0.1/"))
    user = settings.get("USER") or parsed.username or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    netloc = f"{user}{password}@{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}"
    return urlunparse(parsed._replace(scheme="postgres", netloc=netloc, path=f"/{settings['NAME']}"))


@contextmanager
def two_servers(entry):
    """Two gunicorn servers (2 workers each) serving ``entry`` on the test database."""
    env = dict(
        os.environ,
        DATABASE_URL=_test_database_url(),
        DJANGO_SETTINGS_MODULE="settings.test",
        STRIPE_SECRET_KEY="sk_test_two_processes",
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
    )
    processes, bases = [], []
    try:
        for _ in range(2):
            port = _free_port()
            processes.append(
                subprocess.Popen(
                    [
                        GUNICORN,
                        "--pythonpath",
                        "site",
                        entry,
                        "--workers",
                        "2",
                        # The application is imported once per server, not once per worker.
                        "--preload",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--log-level",
                        "warning",
                    ],
                    cwd=ROOT,
                    env=env,
                )  # fmt: skip
            )
            bases.append(f"http://127.0.0.1:{port}")
        # Starting is not what is measured: a machine busy with other work may need longer.
        deadline = time.monotonic() + 120
        for base in bases:
            while True:
                try:
                    if requests.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                assert time.monotonic() < deadline, "les serveurs n'ont pas démarré"
                time.sleep(0.2)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def servers(transactional_db):
    """The application in two processes; stopped before the flush."""
    with two_servers("wsgi:application") as bases:
        yield bases


def _session(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _post(base, path, session, data=None):
    csrf = secrets.token_hex(16)
    return requests.post(
        base + path,
        data={"csrfmiddlewaretoken": csrf, **(data or {})},
        cookies={"sessionid": session, "csrftoken": csrf},
        allow_redirects=False,
        timeout=30,
    )


def _race(a, b):
    """``PEOPLE`` members register for ``SEATS`` seats at once, half through each server."""
    occurrence = OccurrenceFactory(capacity=SEATS)
    members = [MemberFactory() for _ in range(PEOPLE)]
    sessions = {member.pk: _session(member) for member in members}
    path = reverse("registrations:register", kwargs={"occurrence_id": occurrence.pk})
    with ThreadPoolExecutor(max_workers=16) as pool:
        responses = list(
            pool.map(lambda n: _post((a, b)[n % 2], path, sessions[members[n].pk]).status_code, range(PEOPLE))
        )
    return occurrence, sessions, path, responses


def test_registrations_and_waiting_list_are_correct_across_two_processes(servers):
    a, b = servers
    occurrence, sessions, path, responses = _race(a, b)
    assert Counter(responses) == {302: PEOPLE}
    rows = list(Registration.objects.filter(occurrence=occurrence))
    assert Counter(r.status for r in rows) == {S.CONFIRMED: SEATS, S.WAITLISTED: PEOPLE - SEATS}
    positions = waitlist_positions(rows)
    assert sorted(positions.values()) == list(range(1, PEOPLE - SEATS + 1))
    assert len({r.user_id for r in rows}) == PEOPLE

    # A confirmed member cancels on A; the first on the waiting list is confirmed, as B shows.
    by_position = {position: pk for pk, position in positions.items()}
    first, second = (Registration.objects.get(pk=by_position[n]) for n in (1, 2))
    leaving = next(r for r in rows if r.status == S.CONFIRMED)
    cancel_path = reverse("registrations:cancel_mine", kwargs={"pk": leaving.pk})
    assert _post(a, cancel_path, sessions[leaving.user_id]).status_code == 302
    outcome = requests.get(b + reverse("registrations:outcome", args=[first.token]), timeout=10)
    assert outcome.status_code == 200 and "Inscription confirmée" in outcome.text
    waiting = requests.get(b + reverse("registrations:outcome", args=[second.token]), timeout=10)
    assert "Liste d'attente : position 1" in waiting.text
    assert Counter(Registration.objects.filter(occurrence=occurrence).values_list("status", flat=True)) == {
        S.CONFIRMED: SEATS,
        S.WAITLISTED: PEOPLE - SEATS - 1,
        S.CANCELLED: 1,
    }
    # The member who left registers again on B and goes to the end of the waiting list.
    assert _post(b, path, sessions[leaving.user_id]).status_code == 302
    rows = list(Registration.objects.filter(occurrence=occurrence).exclude(status=S.CANCELLED))
    assert sorted(waitlist_positions(rows).values()) == list(range(1, PEOPLE - SEATS + 1))


def test_control_without_the_lock_two_processes_overbook(transactional_db):
    """The control: the same race against servers whose engine lock is removed
    (``tests/unlocked_wsgi.py``) confirms more people than there are seats.

    Seeing it needs the four workers to count seats at the same moment; a machine starved of CPU
    can feed them one request at a time, so the race runs up to three times (each on a new date):
    one overbooking proves the point, since with the lock none is possible."""
    confirmed = []
    with two_servers("tests.unlocked_wsgi:application") as (a, b):
        for _ in range(3):
            occurrence, _sessions, _path, _responses = _race(a, b)
            confirmed.append(Registration.objects.filter(occurrence=occurrence, status=S.CONFIRMED).count())
            if confirmed[-1] > SEATS:
                break
    assert max(confirmed) > SEATS, f"sans verrou, la course devrait sur-réserver : {confirmed}"


def test_the_same_webhook_event_delivered_to_both_processes_is_fulfilled_once(servers):
    occurrence = OccurrenceFactory(kind="training", capacity=5, audience="everyone")
    registration = Registration.objects.create(
        occurrence=occurrence, first_name="Camille", last_name="Durand", email="camille@exemple.fr",
        status=S.PENDING_PAYMENT, hold_expires_at=timezone.now() + datetime.timedelta(minutes=31),
    )  # fmt: skip
    payment = PaymentFactory(registration=registration, method="card", stripe_session_id="cs_two_processes")
    session = {
        "id": "cs_two_processes", "object": "checkout.session", "status": "complete",
        "payment_status": "paid", "amount_total": 36000, "payment_intent": "pi_two_processes",
    }  # fmt: skip
    payload = json.dumps(event("checkout.session.completed", session, event_id="evt_two_processes"))
    path = reverse("payments:stripe_webhook")

    def deliver(n):
        headers = {"Stripe-Signature": signature_header(payload), "Content-Type": "application/json"}
        return requests.post(servers[n % 2] + path, data=payload, headers=headers, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        codes = list(pool.map(deliver, range(24)))
    assert set(codes) == {200}
    payment.refresh_from_db()
    assert payment.status == "paid"
    assert StripeEvent.objects.filter(event_id="evt_two_processes").count() == 1
    assert Invoice.objects.filter(payment=payment).count() == 1
    assert RegistrationChange.objects.filter(registration=registration, to_status=S.CONFIRMED).count() == 1
