"""The rolling horizon: `extend_occurrences` (a periodic command) adds dates as time passes."""

import datetime
from io import StringIO

from django.apps import apps
from django.core.management import call_command

import pytest
import time_machine

from registrations.models import Occurrence
from tests.factories.events import EventPageFactory, paris, publish

pytestmark = pytest.mark.django_db


def test_extend_occurrences_rolls_the_horizon_and_is_safe_to_run_twice(agenda):
    assert "extend_occurrences" in apps.get_app_config("events").periodic_commands
    with time_machine.travel(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC), tick=False):
        page = publish(
            EventPageFactory(
                parent=agenda, start=paris(2030, 1, 8, 9, 30), end=paris(2030, 1, 8, 12), repeat="monthly_weekday"
            )
        )
        initial = Occurrence.objects.filter(page=page).count()
        last = Occurrence.objects.filter(page=page).last().start
    assert initial == 24 and last < paris(2032, 1, 1)
    with time_machine.travel(datetime.datetime(2030, 7, 1, tzinfo=datetime.UTC), tick=False):
        call_command("extend_occurrences", stdout=StringIO())
        after = Occurrence.objects.filter(page=page).count()
        call_command("extend_occurrences", stdout=StringIO())
        assert Occurrence.objects.filter(page=page).count() == after
    assert after == initial + 6
