"""Nobody gets a survey's link before an editor has seen who will: the periodic job opens the
survey, the editor's screen lists the people present, and confirming sends to them, once."""

import io

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

import pytest
import time_machine

from evaluations.models import Invitation, Survey
from tests.factories.attendance import paris
from tests.utils import assert_sent_to_admin_login

pytestmark = pytest.mark.django_db

AFTER_END = paris(2025, 5, 13, 18)


def test_the_job_opens_the_survey_but_e_mails_nobody_before_an_editor_confirms(
    run, editor, client, django_capture_on_commit_callbacks
):
    with time_machine.travel(AFTER_END, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_evaluations", stdout=io.StringIO())
        survey = Survey.objects.get()
        assert not mail.outbox and not Invitation.objects.exists()

        client.force_login(editor)
        url = reverse("evaluations_admin:invite", kwargs={"survey_id": survey.pk})
        page = client.get(url).content.decode()
        assert "anne@nantes.fr" in page and "paul@rennes.fr" in page and "zoe@brest.fr" not in page
        assert "2 personnes" in page

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
        assert response.status_code == 302
        assert sorted(m.to[0] for m in mail.outbox) == ["anne@nantes.fr", "paul@rennes.fr"]
        survey.refresh_from_db()
        assert survey.invitations_confirmed_by == editor

        with django_capture_on_commit_callbacks(execute=True):
            client.post(url)
            call_command("send_evaluations", stdout=io.StringIO())
        assert len(mail.outbox) == 2  # once each


def test_only_the_staff_see_who_is_invited(run, client, django_user_model):
    with time_machine.travel(AFTER_END, tick=False):
        call_command("send_evaluations", stdout=io.StringIO())
    url = reverse("evaluations_admin:invite", kwargs={"survey_id": Survey.objects.get().pk})
    member = django_user_model.objects.create_user(email="membre@exemple.fr", password="x")
    client.force_login(member)
    assert_sent_to_admin_login(client.post(url), url)
    assert not mail.outbox
