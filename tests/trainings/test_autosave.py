"""Autosave and Publish together once stored 4 training sessions where the form showed 2.

On a draft page, Wagtail's autosave (a background save) writes the new sessions' rows and then
tells the open form their ids; a Publish sent before that answer arrives still describes them
as new, and modelcluster kept both pairs. The form is what the editor saw: it is the full list."""

from django.urls import reverse

import pytest

from registrations.models import Occurrence
from tests.factories import UserFactory
from tests.factories.trainings import admin_form as form
from tests.factories.trainings import admin_run as run
from trainings.models import TrainingPage, TrainingRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_publish_sent_while_an_autosave_was_saving_keeps_the_sessions_the_form_shows(editor_client, catalogue_page):
    add_url = reverse("wagtailadmin_pages:add", args=["trainings", "trainingpage", catalogue_page.pk])
    assert editor_client.post(add_url, form([])).status_code == 302  # a draft, never published
    page = TrainingPage.objects.get(slug="textiles-durables")
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    two_sessions = [run(20), run(27)]
    autosave = editor_client.post(edit_url, form(two_sessions), HTTP_ACCEPT="application/json")
    assert autosave.json()["success"] is True
    assert TrainingRun.objects.filter(page=page).count() == 2  # a draft's rows are written by the save
    # Publish, sent before the autosave's answer gave the form the sessions' ids.
    response = editor_client.post(edit_url, form(two_sessions, **{"action-publish": "action-publish"}))
    assert response.status_code == 302
    assert TrainingRun.objects.filter(page=page).count() == 2
    assert Occurrence.objects.filter(page=page).count() == 2
    assert len(TrainingPage.objects.get(pk=page.pk).get_latest_revision_as_object().runs.all()) == 2


def test_publish_after_the_autosave_answer_updates_the_same_rows(editor_client, catalogue_page):
    add_url = reverse("wagtailadmin_pages:add", args=["trainings", "trainingpage", catalogue_page.pk])
    editor_client.post(add_url, form([]))
    page = TrainingPage.objects.get(slug="textiles-durables")
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    autosave = editor_client.post(edit_url, form([run(20), run(27)]), HTTP_ACCEPT="application/json")
    updates = dict(autosave.json()["field_updates"])
    ids = [updates["runs-0-id"], updates["runs-1-id"]]
    runs = [run(20, id=ids[0]), run(27, id=ids[1], capacity="15")]
    data = form(runs, **{"action-publish": "action-publish"})
    data["runs-INITIAL_FORMS"] = "2"
    assert editor_client.post(edit_url, data).status_code == 302
    assert sorted(TrainingRun.objects.filter(page=page).values_list("pk", flat=True)) == sorted(map(int, ids))
    assert sorted(Occurrence.objects.filter(page=page).values_list("capacity", flat=True)) == [12, 15]
