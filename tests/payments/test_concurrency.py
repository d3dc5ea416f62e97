"""Concurrency on PostgreSQL: real threads, each with its own connection."""

import threading
import time

from django.core import mail
from django.db import connection
from django.test import Client

import pytest

from payments.models import Invoice, Payment, PaymentStatus, StripeEvent
from registrations.models import RegistrationStatus
from tests.utils import unlock_occurrences

from .conftest import send_event
from .stripe_fake import event

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
THREADS = 10


@pytest.fixture
def home_page(db):
    from wagtail.models import Page, Site

    from tests.factories import HomePageFactory
    from tests.utils import restore_migration_data

    restore_migration_data()
    home = HomePageFactory(parent=Page.get_first_root_node(), slug="accueil")
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "testserver", "port": 80, "root_page": home}
    )
    return home


def in_threads(target, count=THREADS):
    """Run ``target(i)`` in ``count`` threads released together; returns results in order."""
    barrier = threading.Barrier(count)
    results = [None] * count
    errors = []

    def work(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def test_same_event_ten_times_concurrently_confirms_once_and_sends_one_email(start_card, stripe_fake):
    _response, payment = start_card()
    evt = event("checkout.session.completed", stripe_fake.complete(payment.stripe_session_id))
    mail.outbox.clear()
    statuses = in_threads(lambda i: send_event(Client(), evt).status_code)
    assert statuses == [200] * THREADS
    assert StripeEvent.objects.filter(event_id=evt["id"]).count() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.registration.status == RegistrationStatus.CONFIRMED
    assert payment.registration.changes.filter(to_status=RegistrationStatus.CONFIRMED).count() == 1
    assert Invoice.objects.count() == 1
    assert len(mail.outbox) == 1


def _slow(fetch):
    """Widen the race window: wait a little after reading (and, with the lock, locking) the payment."""

    def slow(**lookup):
        payment = fetch(**lookup)
        time.sleep(0.05)
        return payment

    return slow


def _count_fulfilments(monkeypatch):
    """Count how many requests went on to issue the invoice (the payment was not yet settled)."""
    from payments import webhooks

    calls = []
    real = webhooks.issue_invoice
    monkeypatch.setattr(webhooks, "issue_invoice", lambda payment, **kw: calls.append(1) or real(payment, **kw))
    return calls


def test_different_events_for_one_session_fulfil_it_once(start_card, stripe_fake, monkeypatch):
    from payments import webhooks

    _response, payment = start_card()
    session = stripe_fake.complete(payment.stripe_session_id)
    monkeypatch.setattr(webhooks, "_locked_payment", _slow(webhooks._locked_payment))
    fulfilments = _count_fulfilments(monkeypatch)
    statuses = in_threads(lambda i: send_event(Client(), event("checkout.session.completed", session)).status_code)
    assert statuses == [200] * THREADS
    assert len(fulfilments) == 1
    assert StripeEvent.objects.count() == THREADS


def test_control_without_the_locks_the_same_test_sees_the_race(start_card, stripe_fake, monkeypatch):
    """The control: with the row locks removed, several requests fulfil the same payment."""
    from payments import webhooks

    _response, payment = start_card()
    session = stripe_fake.complete(payment.stripe_session_id)
    unlock_occurrences(monkeypatch, webhooks)
    unlocked = lambda **lookup: Payment.objects.filter(**lookup).select_related("registration").first()  # noqa: E731
    monkeypatch.setattr(webhooks, "_locked_payment", _slow(unlocked))
    fulfilments = _count_fulfilments(monkeypatch)
    in_threads(
        lambda i: (
            send_event(Client(raise_request_exception=False), event("checkout.session.completed", session)).status_code
        )
    )
    assert len(fulfilments) > 1


def test_webhooks_and_success_page_racing_reach_one_final_state(start_card, stripe_fake):
    from django.urls import reverse

    _response, payment = start_card()
    session = stripe_fake.complete(payment.stripe_session_id)
    mail.outbox.clear()

    def deliver(i):
        if i % 2:
            return Client().get(reverse("payments:success"), {"session_id": session["id"]}).status_code
        return send_event(Client(), event("checkout.session.completed", session)).status_code

    assert set(in_threads(deliver)) <= {200, 302}
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID
    assert payment.registration.changes.filter(to_status=RegistrationStatus.CONFIRMED).count() == 1
    assert Invoice.objects.count() == 1
    assert len(mail.outbox) == 1


def test_invoice_numbers_stay_sequential_without_gaps_under_concurrency(run, member):
    from django.db import transaction

    from payments.invoicing import issue_invoice
    from payments.pricing import price_for
    from payments.services import _new_payment
    from registrations.models import Registration

    price = price_for(run, member)
    payments = []
    for i in range(THREADS):
        registration = Registration.objects.create(
            occurrence=run, first_name="A", last_name=str(i), email=f"p{i}@x.fr", status=RegistrationStatus.CONFIRMED
        )
        payments.append(_new_payment(registration, price, method="invoice", billing_entity="Ville"))

    def issue(i):
        with transaction.atomic():
            return issue_invoice(Payment.objects.get(pk=payments[i].pk)).number

    numbers = in_threads(issue)
    year = Invoice.objects.first().issued_on.year
    assert sorted(numbers) == [f"FA-{year}-{n:05d}" for n in range(1, THREADS + 1)]
