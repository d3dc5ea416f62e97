"""An editor creates a monthly meeting with an exception date in the admin (the recurrence panel)."""

import datetime

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

import pytest

from events.models import EventPage
from registrations.models import Occurrence
from tests.factories import EditorFactory
from tests.factories.events import PARIS

pytestmark = pytest.mark.django_db


def form(questions=("dietary", "role"), **overrides):
    data = {
        "title": "Réunion du groupe Textiles",
        "slug": "reunion-textiles",
        "kind": "working_group_meeting",
        "summary": "",
        "start": "2030-01-08 09:30",
        "end": "2030-01-08 12:00",
        "repeat": "monthly_weekday",
        "repeat_interval": "1",
        "repeat_until": "2030-12-31",
        "exception_dates": inline_formset([{"date": "2030-05-14"}]),
        "extra_dates": inline_formset([]),
        "format": "in_person",
        "location": "Nantes",
        "online_url": "",
        "audience": "members",
        "registration_required": "on",
        "capacity": "20",
        "organiser": "RESECO",
        "partners": "",
        "programme": streamfield([]),
        "documents": streamfield([]),
        "comments": inline_formset([]),
        "action-publish": "publish",
    }
    data.update(overrides)
    posted = nested_form_data(data)
    posted["registration_questions"] = list(questions)  # checkboxes: one value per box
    return posted


def test_editor_creates_monthly_meeting_with_exception(client, agenda):
    client.force_login(EditorFactory(is_superuser=True))
    response = client.post(f"/admin/pages/add/events/eventpage/{agenda.pk}/", form())
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page = EventPage.objects.get(slug="reunion-textiles")
    assert page.live and page.registration_questions == ["dietary", "role"]
    days = [o.start.astimezone(PARIS).date() for o in Occurrence.objects.filter(page=page)]
    assert len(days) == 11 and datetime.date(2030, 5, 14) not in days
    assert all(d.weekday() == 1 and 8 <= d.day <= 14 for d in days)  # second Tuesdays
    assert "RRULE:FREQ=MONTHLY" in str(page.recurrence) or page.recurrence.rrules


def test_admin_errors_are_keyed_to_fields(client, agenda):
    client.force_login(EditorFactory(is_superuser=True))
    response = client.post(
        f"/admin/pages/add/events/eventpage/{agenda.pk}/",
        form(end="2030-01-08 08:00", capacity="-3", repeat="daily", repeat_until="", questions=["bogus"]),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "end" in errors and "capacity" in errors and "registration_questions" in errors
    assert not EventPage.objects.filter(slug="reunion-textiles").exists()
