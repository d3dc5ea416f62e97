import json

from django.urls import reverse

import pytest

from payments import stripe_gateway
from tests.factories import MemberFactory
from tests.factories.trainings import TrainingIndexPageFactory, training_with_runs

from .stripe_fake import WEBHOOK_SECRET, FakeStripe, event, signature_header


@pytest.fixture(autouse=True)
def migration_data(db):
    """Transactional tests (--reuse-db) flush what migrations create: put it back first."""
    from wagtail.models import Locale

    if not Locale.objects.exists():
        from tests.utils import restore_migration_data

        restore_migration_data()


@pytest.fixture
def stripe_fake(settings, monkeypatch):
    """Card payments configured, Stripe's HTTP replaced by recorded responses."""
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    fake = FakeStripe()
    monkeypatch.setattr(stripe_gateway, "http_client", lambda: fake)
    return fake


@pytest.fixture
def no_stripe(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_PUBLISHABLE_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""


@pytest.fixture
def training(home_page):
    catalogue = TrainingIndexPageFactory(parent=home_page)
    return training_with_runs(catalogue, runs=[(30, 3)], title="Achats publics durables")


@pytest.fixture
def run(training):
    return training.occurrences.get()


@pytest.fixture
def member(db):
    return MemberFactory(first_name="Camille", last_name="Durand")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run ``fn`` and then what it left for after the commit (e-mails, refunds), as in production."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def send_event(client, evt, *, secret=WEBHOOK_SECRET, timestamp=None, header=None):
    payload = json.dumps(evt) if not isinstance(evt, str) else evt
    headers = (
        {}
        if header is False
        else {"HTTP_STRIPE_SIGNATURE": header or signature_header(payload, secret=secret, timestamp=timestamp)}
    )
    return client.post(reverse("payments:stripe_webhook"), data=payload, content_type="application/json", **headers)


@pytest.fixture
def post_event(committing):
    """POST a signed webhook (its after-commit work runs)."""

    def post(client, evt, **kwargs):
        return committing(send_event, client, evt, **kwargs)

    return post


@pytest.fixture
def start_card(member_client, stripe_fake, run, committing):
    """POST the card choice; returns (response, payment)."""

    def start(occurrence=None, **data):
        from payments.models import Payment

        url = reverse("payments:pay_by_card", kwargs={"occurrence_id": (occurrence or run).pk})
        response = committing(member_client.post, url, data)
        return response, Payment.objects.order_by("-pk").first()

    return start


__all__ = ["event", "send_event", "signature_header"]
