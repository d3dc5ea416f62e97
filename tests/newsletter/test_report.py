"""The newsletter's figures in the activity report."""

import datetime

from django.utils import timezone

import pytest

from base.periods import Period
from newsletter.models import Delivery, Sending, SendingStatus
from reports.figures import compute
from tests.factories.newsletter import SubscriberFactory

pytestmark = pytest.mark.django_db


def _at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


def test_issues_copies_and_subscribers_at_the_end_of_the_year(letter):
    issue = letter["issue"]
    sending = Sending.objects.create(
        issue=issue, status=SendingStatus.DONE, scheduled_at=_at(2025, 5, 1), finished_at=_at(2025, 5, 1)
    )
    Delivery.objects.bulk_create(
        [Delivery(sending=sending, email=f"p{n}@exemple.fr", status="sent", sent_at=_at(2025, 5, 1)) for n in range(3)]
        + [Delivery(sending=sending, email="refus@exemple.fr", status="bounced")]
    )
    SubscriberFactory(confirmed_at=_at(2025, 3, 1))
    SubscriberFactory(confirmed_at=_at(2025, 3, 1), unsubscribed_at=_at(2026, 2, 1), status="unsubscribed")
    SubscriberFactory(confirmed_at=_at(2025, 3, 1), unsubscribed_at=_at(2025, 6, 1), status="unsubscribed")
    SubscriberFactory(confirmed_at=_at(2026, 1, 5))

    report = compute(Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)), compare=False)
    values = {key: report.figures[key].value for key in report.figures if key.startswith("newsletter_")}
    assert values == {
        "newsletter_issues": 1,
        "newsletter_copies": 3,
        "newsletter_recipients": 3,
        "newsletter_subscribers": 2,
    }
    assert report.sections["newsletter"] == "La lettre RESECO"
