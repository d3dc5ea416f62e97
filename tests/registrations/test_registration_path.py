"""The registration POST does the minimum: a fixed number of queries whatever the number of
registrations, no page row loaded, the occurrence locked by one statement, and the owner page's
path looked up once, not per registration."""

import io
from types import SimpleNamespace

from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
import segno
from PIL import Image

from base.qrcodes import qr_png
from registrations import services
from registrations.errors import RegistrationError
from registrations.models import Registration
from registrations.models import RegistrationStatus as S
from registrations.receivers import owner_page_path
from tests.factories import MemberFactory
from tests.factories.registrations import OccurrenceFactory

pytestmark = pytest.mark.django_db

# Session, user, occurrence, organisation; lock, count, registration, history; after commit, the
# person's « Mon compte » version (members/account.py). (The database task backend adds the
# e-mail task's row after commit; here the enqueued tasks are recorded.)
POST_QUERIES = 9


@pytest.fixture(autouse=True)
def clear_caches():
    for alias in ("default", "pages"):
        caches[alias].clear()


def _post(client, occurrence):
    url = reverse("registrations:register", kwargs={"occurrence_id": occurrence.pk})
    return client.post(url, {})


def _data_queries(queries):
    """The statements sent, without the transaction's own (BEGIN, COMMIT, savepoints)."""
    return [q["sql"] for q in queries if not q["sql"].upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))]


@pytest.mark.parametrize("taken", [0, 3, 12])
def test_a_registration_post_costs_the_same_queries_whatever_the_registrations(
    client, django_capture_on_commit_callbacks, monkeypatch, taken
):
    occurrence = OccurrenceFactory(capacity=10)
    for member in [MemberFactory() for _ in range(taken)]:
        services.register(occurrence, user=member)
    enqueued = []
    monkeypatch.setattr(services, "send_registration_email", SimpleNamespace(enqueue=lambda *a: enqueued.append(a)))
    owner_page_path(occurrence.page_id)  # the owner page's path: looked up once, then cached
    client.force_login(MemberFactory())
    with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks(execute=True):
        response = _post(client, occurrence)
    assert response.status_code == 302
    assert [kind for _pk, kind, _extra in enqueued] == ["confirmed" if taken < 10 else "waitlisted"]
    sent = _data_queries(ctx.captured_queries)
    assert len(sent) <= POST_QUERIES, "\n".join(sql[:90] for sql in sent)
    # No page row: only the page's type is read beside the occurrence (and the page joined to check it is live).
    assert not any('"wagtailcore_page"."title"' in sql for sql in sent)
    expected = S.CONFIRMED if taken < 10 else S.WAITLISTED
    assert Registration.objects.filter(occurrence=occurrence).latest("pk").status == expected


def test_lock_returns_the_occurrence_without_its_page():
    occurrence = OccurrenceFactory(capacity=3)
    with transaction.atomic():
        locked = services.lock_occurrence(occurrence.pk)
    assert locked.pk == occurrence.pk and locked.capacity == 3 and locked.start == occurrence.start
    assert not type(locked).page.is_cached(locked)


def test_lock_of_a_missing_occurrence_raises_does_not_exist():
    occurrence = OccurrenceFactory()
    with pytest.raises(type(occurrence).DoesNotExist), transaction.atomic():
        services.lock_occurrence(occurrence.pk + 1000)


def test_a_double_submit_is_told_as_such_even_when_another_rule_refuses():
    """The check for an existing registration moved out of the usual path: on refusal, it still
    answers « already registered » (here the organisation's quota is reached by this very person)."""
    occurrence = OccurrenceFactory(capacity=10, seats_per_organisation=1)
    member = MemberFactory()
    services.register(occurrence, user=member)
    with pytest.raises(RegistrationError) as error:
        services.register(occurrence, user=member)
    assert error.value.code == "already_registered"
    colleague = MemberFactory(organisation=member.organisation)
    with pytest.raises(RegistrationError) as error:
        services.register(occurrence, user=colleague)
    assert error.value.code == "organisation_full"
    assert Registration.objects.filter(occurrence=occurrence).count() == 1


def test_the_owner_page_path_is_looked_up_once(django_assert_max_num_queries, django_assert_num_queries):
    occurrence = OccurrenceFactory()
    with django_assert_max_num_queries(2):  # the page, and the site's root paths unless cached
        first = owner_page_path(occurrence.page_id)
    with django_assert_num_queries(0):
        assert owner_page_path(occurrence.page_id) == first
    assert first == occurrence.page.url or first is None


def test_the_qr_code_uses_a_fixed_mask_and_keeps_segnos_modules():
    """A fixed mask skips segno's scoring of the eight; the code still carries the same data:
    same version and error level as segno's own choice, and the PNG shows exactly its modules."""
    text = "https://reseco.example/admin/presences/pointage/eyJyIjoxMjM0NX0:1vQkXc:abcdef/"
    fixed, best = segno.make_qr(text, error="m", mask=0), segno.make_qr(text, error="m")
    assert (fixed.version, fixed.error, fixed.mask) == (best.version, best.error, 0)
    image = Image.open(io.BytesIO(qr_png(text, scale=1, border=0))).convert("L")
    assert image.size == (len(fixed.matrix), len(fixed.matrix))
    pixels = image.load()
    assert all(
        (pixels[x, y] == 0) == bool(module) for y, row in enumerate(fixed.matrix) for x, module in enumerate(row)
    )


@pytest.mark.postgres  # psycopg's server-side binding
def test_lock_with_server_side_binding_sends_two_statements(monkeypatch):
    """Server-side binding refuses two statements in one: the timeout and the lock go apart."""
    occurrence = OccurrenceFactory(capacity=4)
    monkeypatch.setitem(
        connection.settings_dict, "OPTIONS", {**connection.settings_dict["OPTIONS"], "server_side_binding": True}
    )
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        assert services.lock_occurrence(occurrence.pk).capacity == 4
    sent = _data_queries(ctx.captured_queries)
    assert len(sent) == 2 and sent[0].startswith("SELECT set_config") and "FOR UPDATE" in sent[1]
