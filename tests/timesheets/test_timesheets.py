import datetime
from decimal import Decimal

from django.urls import reverse

import pytest
import time_machine

from tests.factories import EditorFactory, MemberFactory, WorkingGroupIndexPageFactory, WorkingGroupPageFactory
from tests.factories.attendance import TimeEntryFactory
from tests.utils import assert_sent_to_admin_login
from timesheets.models import TimeEntry

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 6, 4)


@pytest.fixture
def editor(db):
    return EditorFactory(email="julien@reseco.fr", first_name="Julien", last_name="Morel")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def post_entry(client, editor, **data):
    payload = {"person": editor.pk, "date": "2025-06-03", "hours": "3", "activity": "helpdesk", "note": ""}
    payload.update(data)
    return client.post(reverse("time_entries:add"), payload)


@time_machine.travel(datetime.datetime(2025, 6, 4, 12, tzinfo=datetime.UTC), tick=False)
def test_an_editor_logs_time(editor_client, editor):
    form = editor_client.get(reverse("time_entries:add"))
    assert form.status_code == 200
    assert "Préparation des formations" in form.content.decode()
    assert form.context["form"].initial["person"] == editor.pk
    response = post_entry(editor_client, editor, hours="2,5", note="Réponses aux questions")
    assert response.status_code == 302
    entry = TimeEntry.objects.get()
    assert entry.person == editor and entry.hours == Decimal("2.5") and entry.activity == "helpdesk"


@time_machine.travel(datetime.datetime(2025, 6, 4, 12, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"hours": "-2"}, "hours", ""),
        ({"hours": "0"}, "hours", ""),
        ({"hours": "13"}, "hours", "12"),
        ({"hours": "beaucoup"}, "hours", ""),
        ({"date": "2025-06-05"}, "date", "futur"),
        ({"date": "2025-02-30"}, "date", ""),
        ({"activity": "working_group"}, "page", "groupe de travail"),
        ({"activity": "sieste"}, "activity", ""),
    ],
)
def test_bad_entries_are_field_errors(editor_client, editor, data, field, message):
    response = post_entry(editor_client, editor, **data)
    assert response.status_code == 200  # the form again, with the error on the field
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not TimeEntry.objects.exists()


@time_machine.travel(datetime.datetime(2025, 6, 4, 12, tzinfo=datetime.UTC), tick=False)
def test_more_than_24_hours_a_day_is_refused(editor_client, editor):
    TimeEntryFactory(person=editor, date=datetime.date(2025, 6, 3), hours=Decimal("12"))
    TimeEntryFactory(person=editor, date=datetime.date(2025, 6, 3), hours=Decimal("10"))
    response = post_entry(editor_client, editor, hours="3")
    assert "24 heures" in " ".join(response.context["form"].errors["hours"])
    assert TimeEntry.objects.count() == 2


@time_machine.travel(datetime.datetime(2025, 6, 4, 12, tzinfo=datetime.UTC), tick=False)
def test_working_group_entry_needs_a_working_group_page(editor_client, editor, home_page):
    group = WorkingGroupPageFactory(parent=WorkingGroupIndexPageFactory(parent=home_page), title="Textiles")
    refused = post_entry(editor_client, editor, activity="working_group", page=home_page.pk)
    assert "n'est pas un groupe de travail" in " ".join(refused.context["form"].errors["page"])
    accepted = post_entry(editor_client, editor, activity="working_group", page=group.pk)
    assert accepted.status_code == 302
    assert TimeEntry.objects.get().page_id == group.pk


def test_week_and_summary(editor_client, editor):
    other = EditorFactory(first_name="Anne", last_name="Durand")
    TimeEntryFactory(person=editor, date=datetime.date(2025, 6, 2), hours=Decimal("3.5"), activity="helpdesk")
    TimeEntryFactory(person=editor, date=datetime.date(2025, 6, 4), hours=Decimal("4"), activity="communication")
    TimeEntryFactory(person=editor, date=datetime.date(2025, 6, 9), hours=Decimal("1"), activity="helpdesk")
    TimeEntryFactory(person=other, date=datetime.date(2025, 6, 3), hours=Decimal("7"), activity="coordination")
    week = editor_client.get(reverse("timesheets_week") + "?semaine=2025-06-04")
    assert week.status_code == 200
    assert week.context["total"] == Decimal("7.5")
    assert [d["total"] for d in week.context["days"]][:3] == [Decimal("3.5"), 0, Decimal("4")]
    assert editor_client.get(reverse("timesheets_week") + "?semaine=demain").status_code == 400

    summary = editor_client.get(reverse("timesheets_summary") + "?from=2025-01-01&to=2025-06-08")
    people = {p["person__last_name"]: p["hours"] for p in summary.context["people"]}
    assert people == {"Morel": Decimal("7.5"), "Durand": Decimal("7")}
    assert summary.context["grand_total"] == Decimal("14.5")
    reversed_range = editor_client.get(reverse("timesheets_summary") + "?from=2025-12-31&to=2025-01-01")
    assert reversed_range.status_code == 400
    assert "précède" in reversed_range.content.decode()


def test_time_views_are_for_staff(client):
    client.force_login(MemberFactory())
    for url in (reverse("timesheets_week"), reverse("time_entries:add")):
        assert_sent_to_admin_login(client.get(url), url)


@pytest.mark.parametrize("week", ["2025-13-45", "2025-02-30", "x" * 10])
def test_impossible_week_is_a_400(editor_client, week):
    assert editor_client.get(reverse("timesheets_week") + f"?semaine={week}").status_code == 400
