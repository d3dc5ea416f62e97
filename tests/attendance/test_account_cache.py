"""« Mes attestations » is kept in the page cache (members/account.py): attendance an editor
records, one person or everyone at once, shows in the person's « Mon compte » at once."""

from django.test import Client
from django.urls import reverse

import pytest

from attendance import services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_cache")]


def _certificates(client):
    body = client.get(reverse("members:account")).content.decode()
    return body[body.index('id="attestations"') : body.index("</section>", body.index('id="attestations"'))]


@pytest.mark.parametrize("everyone", [False, True], ids=["one-person", "everyone-present"])
def test_attendance_recorded_shows_at_once(training, editor, everyone, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(training["member"])
    assert "Achats alimentaires durables" not in _certificates(client)
    part = training["parts"][0]
    with django_capture_on_commit_callbacks(execute=True):
        if everyone:
            services.mark_all_present(part, actor=editor)  # rows written in bulk
        else:
            services.record_attendance(training["sophie"], part, status="present", actor=editor)
    assert "Achats alimentaires durables" in _certificates(client)
