import datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

import pytest

from members.audience import Audience
from members.models import Supplier
from registrations import demo as registrations_demo
from registrations.application_review import comparison
from registrations.models import Occurrence, Registration, SubmittedCompany
from registrations.services import waitlist_positions
from tests.factories.registrations import OccurrenceFactory, ensure_page_tree

pytestmark = pytest.mark.django_db


class FakeDemo:
    def __init__(self):
        self.steps = []

    def step(self, message):
        self.steps.append(message)


def test_demo_registrations_are_idempotent_and_realistic():
    ensure_page_tree()
    call_command("load_demo", "--force", stdout=StringIO())
    Occurrence.objects.update(status="cancelled")  # keep only this test's occurrences in play
    now = timezone.now()
    past = OccurrenceFactory(start=now - datetime.timedelta(days=40), capacity=30)
    full = OccurrenceFactory(start=now + datetime.timedelta(days=20), capacity=5)
    meeting = OccurrenceFactory(
        start=now + datetime.timedelta(days=30), kind="market_engagement", audience=Audience.SUPPLIERS
    )
    registrations_demo.load(FakeDemo())
    first = sorted(Registration.objects.values_list("occurrence_id", "email", "status"))
    registrations_demo.load(FakeDemo())
    assert sorted(Registration.objects.values_list("occurrence_id", "email", "status")) == first
    assert Registration.objects.filter(occurrence=past, status="confirmed", organisation__isnull=False).count() >= 6
    assert Registration.objects.filter(occurrence=full, status="confirmed").count() == 5
    waiting = list(Registration.objects.filter(occurrence=full, status="waitlisted"))
    assert sorted(waitlist_positions(waiting).values()) == [1, 2, 3]
    assert set(Registration.objects.filter(occurrence=meeting).values_list("status", flat=True)) >= {
        "applied",
        "selected",
    }
    # Each demo application carries its submitted company; one proposes changes to review.
    applications = Registration.objects.filter(occurrence=meeting)
    assert SubmittedCompany.objects.filter(registration__in=applications).count() == applications.count()
    rows = [
        row
        for submitted in SubmittedCompany.objects.filter(registration__in=applications)
        for row in comparison(submitted, Supplier.objects.get(siret=submitted.siret))
    ]
    assert {row["name"] for row in rows if row["differs"]} == {"city", "website"}
