"""Editors edit questionnaires (StreamField of questions) and per-page settings in the admin."""

import html

from django.urls import reverse

from wagtail.test.utils.form_data import nested_form_data, streamfield

import pytest

from evaluations.models import Questionnaire
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def form(kind="training", stage="hot"):
    return nested_form_data(
        {
            "name": "Formation (nouvelle version)",
            "default_for_kind": kind,
            "stage": stage,
            "intro": "",
            "questions": streamfield(
                [
                    ("rating", {"label": "Satisfaction", "help_text": ""}),
                    ("recommend", {"label": "Recommanderiez-vous ?"}),
                ]
            ),
        }
    )


def test_editors_create_a_questionnaire_and_unknown_kinds_are_refused(client, editor):
    client.force_login(editor)
    assert client.get(reverse("evaluation_questionnaires:add")).status_code == 200
    refused = client.post(reverse("evaluation_questionnaires:add"), form(kind="inconnu"))
    assert refused.status_code == 200 and "Type d'activité inconnu" in html.unescape(refused.content.decode())
    assert not Questionnaire.objects.exists()
    created = client.post(reverse("evaluation_questionnaires:add"), form())
    assert created.status_code == 302
    questionnaire = Questionnaire.objects.get()
    assert [kind for _id, kind, _value in questionnaire.question_list()] == ["rating", "recommend"]
    assert all(qid for qid, _kind, _value in questionnaire.question_list())  # stable block ids
    duplicate = client.post(reverse("evaluation_questionnaires:add"), form())
    assert duplicate.status_code == 200 and Questionnaire.objects.count() == 1
    assert client.get(reverse("evaluation_settings:add")).status_code == 200


def test_members_cannot_reach_the_questionnaires(client):
    client.force_login(MemberFactory())
    assert client.get(reverse("evaluation_questionnaires:index")).status_code in (302, 403)
