"""A sending worker killed half-way (SIGKILL, in the middle of an SMTP transaction) and started
again: every recipient gets exactly one copy. The worker is a real process on the test database,
sending to a real SMTP server (aiosmtpd) that kills it when the 20th message arrives, before
accepting that message."""

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from django.db import connection
from django.utils import timezone

import pytest

from newsletter import services
from newsletter.models import Delivery, Sending, SendingStatus
from tests.factories.newsletter import SubscriberFactory

from .smtp import SMTPServer

ROOT = Path(__file__).resolve().parents[2]
RECIPIENTS = 40
KILL_AT = 20

WORKER = """
import json, os, sys
sys.path[:0] = [os.environ["ROOT"], os.environ["ROOT"] + "/site"]
import django
django.setup()
from django.conf import settings
for key, value in json.loads(os.environ["SMTP_SETTINGS"]).items():
    setattr(settings, key, value)
from newsletter.services import deliver_all
deliver_all(int(os.environ["SENDING_ID"]), rate=0)
"""


def _database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker(sending, server):
    env = {
        **os.environ,
        "ROOT": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "settings.test",
        "DATABASE_URL": _database_url(),
        "SMTP_SETTINGS": json.dumps(server.settings()),
        "SENDING_ID": str(sending.pk),
        "SITE_URL": "https://reseco.example",
    }
    return subprocess.Popen([sys.executable, "-c", WORKER], env=env, cwd=ROOT, stderr=subprocess.PIPE)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_half_way_and_restarted_sends_each_copy_once(letter):
    for _ in range(RECIPIENTS):
        SubscriberFactory()
    issue = letter["issue"]
    sending = Sending.objects.create(issue=issue, revision=issue.live_revision, scheduled_at=timezone.now())
    assert services.materialise(sending.pk)

    with SMTPServer() as server:
        worker = {}

        def kill_at_the_20th(envelope):
            if server.recorder.count + 1 == KILL_AT and "first" in worker:
                os.kill(worker.pop("first").pid, signal.SIGKILL)
                return "451 4.3.0 Connection lost"  # never accepted: the worker died before the answer
            return None

        server.recorder.before_accept = kill_at_the_20th
        first = _worker(sending, server)
        worker["first"] = first
        first.wait(timeout=120)
        assert first.returncode == -signal.SIGKILL
        assert server.recorder.count == KILL_AT - 1
        assert Delivery.objects.filter(sending=sending, status="sent").count() == KILL_AT - 1

        second = _worker(sending, server)
        _out, err = second.communicate(timeout=120)
        assert second.returncode == 0, err.decode()[-2000:]

    copies = Counter(server.recorder.recipients())
    expected = set(Delivery.objects.filter(sending=sending).values_list("email", flat=True))
    assert len(expected) == RECIPIENTS
    assert set(copies) == expected  # nobody skipped
    assert max(copies.values()) == 1  # nobody twice
    sending.refresh_from_db()
    assert sending.status == SendingStatus.DONE
    assert Counter(Delivery.objects.filter(sending=sending).values_list("status", flat=True)) == {"sent": RECIPIENTS}
