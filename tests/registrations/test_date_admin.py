"""The engine's per-date admin for any owner page, and the editor's confirmation before publishing
an edit that moves or cancels dates people registered for."""

import datetime

from django.core import mail

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

import pytest

from events.models import EventPage
from registrations.models import Occurrence, OccurrenceStatus, Registration, RegistrationStatus, ScheduleNote
from tests.factories import EditorFactory, MemberFactory
from tests.factories.events import EventIndexPageFactory, EventPageFactory, paris
from tests.factories.events import publish as publish_event
from tests.factories.trainings import TrainingIndexPageFactory, training_with_runs

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = EditorFactory()
    client.force_login(user)
    return user


@pytest.fixture
def meeting(home_page):
    """A monthly 9:30 meeting over 2030 with two people on its first two dates."""
    agenda = EventIndexPageFactory(parent=home_page)
    page = EventPageFactory(
        parent=agenda,
        title="Groupe de travail Construction : réunion mensuelle",
        start=paris(2030, 1, 8, 9, 30),
        end=paris(2030, 1, 8, 12),
        repeat="monthly_day",
        repeat_until=datetime.date(2030, 6, 30),
        audience="everyone",
    )
    publish_event(page)
    first, second = Occurrence.objects.filter(page=page).order_by("start")[:2]
    for occ, name in ((first, "Alice"), (second, "Bruno")):
        Registration.objects.create(
            occurrence=occ, first_name=name, last_name="M", email=f"{name.lower()}@ville.fr", status="confirmed"
        )
    return page


def edit_form(page, **overrides):
    data = {
        "title": page.title,
        "slug": page.slug,
        "kind": page.kind,
        "summary": page.summary,
        "start": "2030-01-08 09:30",
        "end": "2030-01-08 12:00",
        "repeat": page.repeat,
        "repeat_interval": "1",
        "repeat_until": "2030-06-30",
        "exception_dates": inline_formset([]),
        "extra_dates": inline_formset([]),
        "format": "in_person",
        "location": page.location,
        "online_url": "",
        "audience": "everyone",
        "registration_required": "on",
        "capacity": "30",
        "organiser": "RESECO",
        "partners": "",
        "programme": streamfield([]),
        "documents": streamfield([]),
        "comments": inline_formset([]),
        "action-publish": "action-publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def starts(page):
    return [o.start.astimezone(paris(2030, 1, 1).tzinfo).strftime("%m-%d %H:%M") for o in page.occurrences.all()]


def test_publishing_a_move_asks_first_and_changes_nothing_until_confirmed(client, editor, meeting):
    before = starts(meeting)
    url = f"/admin/pages/{meeting.pk}/edit/"
    response = client.post(url, edit_form(meeting, start="2030-01-08 10:00", end="2030-01-08 12:30"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Confirmer la publication" in html
    assert "6 dates déplacées : 2 personne(s) prévenue(s)" in html
    assert starts(meeting) == before and not mail.outbox
    # The screen re-posts the form: every field is there, as hidden inputs.
    assert 'name="start" value="2030-01-08 10:00"' in html and 'name="schedule-confirmed" value="1"' in html


def test_confirming_publishes_moves_and_tells_each_person_once_with_the_reason(
    client, editor, meeting, django_capture_on_commit_callbacks
):
    data = edit_form(meeting, start="2030-01-08 10:00", end="2030-01-08 12:30")
    data.update({"schedule-confirmed": "1", "schedule-reason": "La salle n'est libre qu'à 10 h."})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/pages/{meeting.pk}/edit/", data)
    assert response.status_code == 302
    assert all(s.endswith("10:00") for s in starts(meeting))
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@ville.fr", "bruno@ville.fr"]
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert "La salle n&#x27;est libre qu&#x27;à 10 h." in html and "La salle n'est libre qu'à 10 h." in message.body
        assert "9 h 30" in message.body and "10 h" in message.body
    assert not ScheduleNote.objects.exists()  # read and removed once published


def test_going_back_keeps_the_edit_as_a_draft(client, editor, meeting):
    data = edit_form(meeting, start="2030-01-08 10:00", end="2030-01-08 12:30")
    data.pop("action-publish")
    data["schedule-confirmed"] = "1"
    response = client.post(f"/admin/pages/{meeting.pk}/edit/", data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.has_unpublished_changes
    assert all(s.endswith("09:30") for s in starts(meeting))


def test_an_edit_affecting_nobody_publishes_at_once(client, editor, meeting):
    response = client.post(f"/admin/pages/{meeting.pk}/edit/", edit_form(meeting, capacity="40"))
    assert response.status_code == 302
    assert set(meeting.occurrences.values_list("capacity", flat=True)) == {40}


def test_removing_a_registered_date_is_announced_as_a_cancellation(client, editor, meeting):
    data = edit_form(meeting, exception_dates=inline_formset([{"date": "2030-02-08"}]))
    response = client.post(f"/admin/pages/{meeting.pk}/edit/", data)
    assert "1 date supprimée : 1 personne(s) prévenue(s)" in response.content.decode()
    data["schedule-confirmed"] = "1"
    client.post(f"/admin/pages/{meeting.pk}/edit/", data)
    cancelled = Occurrence.objects.get(page=meeting, status=OccurrenceStatus.CANCELLED)
    assert cancelled.start == paris(2030, 2, 8, 9, 30)
    assert Registration.objects.get(occurrence=cancelled).status == RegistrationStatus.CANCELLED


def test_scheduled_publication_keeps_the_reason_until_it_goes_live(client, editor, meeting):
    data = edit_form(meeting, start="2030-01-08 10:00", end="2030-01-08 12:30", go_live_at="2029-12-01 08:00")
    data.update({"schedule-confirmed": "1", "schedule-reason": "Nouvel horaire"})
    client.post(f"/admin/pages/{meeting.pk}/edit/", data)
    note = ScheduleNote.objects.get(page=meeting)
    assert (
        note.reason == "Nouvel horaire" and note.revision_id == EventPage.objects.get(pk=meeting.pk).latest_revision_id
    )
    assert all(s.endswith("09:30") for s in starts(meeting))


def test_dates_admin_serves_every_owner_page(client, editor, meeting, home_page):
    response = client.get(f"/admin/dates/{meeting.pk}/")
    assert response.status_code == 200 and "Déplacer" in response.content.decode()
    training = training_with_runs(TrainingIndexPageFactory(parent=home_page), runs=((30, 2),))
    response = client.get(f"/admin/dates/{training.pk}/")
    assert response.status_code == 200
    run = Occurrence.objects.get(page=training)
    response = client.post(f"/admin/dates/{training.pk}/{run.pk}/annuler/", {"reason": "Formatrice malade"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.is_cancelled and run.status_reason == "Formatrice malade"


def test_dates_admin_refuses_other_pages_and_non_editors(client, meeting, home_page):
    client.force_login(MemberFactory())
    assert client.get(f"/admin/dates/{meeting.pk}/").status_code == 302  # no admin access: to login
    client.force_login(EditorFactory())
    assert client.get(f"/admin/dates/{home_page.pk}/").status_code == 404


def test_cancel_requires_a_reason(client, editor, meeting):
    occ = meeting.occurrences.first()
    response = client.post(f"/admin/dates/{meeting.pk}/{occ.pk}/annuler/", {"reason": "  "})
    assert response.status_code == 400
    occ.refresh_from_db()
    assert not occ.is_cancelled
