"""Malformed input reachable from outside gets a 4xx, never a 500: a session cookie holding an
escaped NUL, a helpdesk attachment with a name over 255 bytes (and no empty folder left behind).
Signed Stripe webhooks with a NUL or a text amount: tests/payments/test_webhook.py."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from helpdesk.models import Attachment, Question
from sectors.models import Sector
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_session_cookie_with_an_escaped_nul_is_a_400(client):
    response = client.get("/agenda/", HTTP_COOKIE=f'{settings.SESSION_COOKIE_NAME}="\\000{"a" * 31}"')
    assert response.status_code == 400
    response = client.get("/compte/", HTTP_COOKIE='csrftoken="a\\000b"')
    assert response.status_code == 400


def test_attachment_name_over_255_bytes_is_refused_and_leaves_no_folder(client):
    client.force_login(MemberFactory())
    media = settings.MEDIA_ROOT / "assistance"
    before = set(media.iterdir()) if media.exists() else set()
    name = "é" * 130 + ".pdf"  # 264 bytes
    data = {
        "topic": "Un sujet",
        "sector": Sector.objects.get(slug="alimentation-restauration").pk,
        "tender_context": "Contexte",
        "body": "Question",
        "attachments": [SimpleUploadedFile(name, b"%PDF-1.4\n", content_type="application/pdf")],
    }
    response = client.post("/assistance/", data)
    assert 400 <= response.status_code < 500
    assert "trop long" in response.content.decode()
    assert not Question.objects.exists() and not Attachment.objects.exists()
    assert (set(media.iterdir()) if media.exists() else set()) == before


def test_attachment_path_fits_any_file_system():
    from helpdesk.models import attachment_path

    path = attachment_path(None, "é" * 300 + ".pdf")
    assert path.endswith(".pdf") and len(path.rsplit("/", 1)[-1].encode()) <= 100
