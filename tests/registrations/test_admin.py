import io

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from openpyxl import load_workbook

from members.audience import Audience
from registrations import applications, services
from registrations.models import Registration, RegistrationChange
from registrations.models import RegistrationStatus as S
from tests.factories import EditorFactory, MemberFactory
from tests.factories.registrations import OccurrenceFactory, ensure_page_tree
from tests.utils import assert_sent_to_admin_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    ensure_page_tree()
    editor = EditorFactory()
    client.force_login(editor)
    client.editor = editor
    return client


@pytest.fixture
def full(occurrence):
    regs = [services.register(occurrence, user=MemberFactory()) for _ in range(4)]
    return occurrence, regs


def test_index_lists_upcoming_with_counts_in_fixed_queries(editor_client):
    def queries_for(count):
        for _ in range(count):
            occurrence = OccurrenceFactory(capacity=1)
            services.register(occurrence, user=MemberFactory())
            services.register(occurrence, user=MemberFactory())
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(reverse("registrations_admin:index"))
        assert response.status_code == 200
        return len(queries), response

    few, _ = queries_for(2)
    many, response = queries_for(20)
    assert few == many
    assert response.context["occurrences"][0].confirmed_count == 1
    assert response.context["occurrences"][0].waiting_count == 1


def test_members_cannot_reach_the_admin(client, full):
    occurrence, _ = full
    client.force_login(MemberFactory())
    url = reverse("registrations_admin:occurrence", args=[occurrence.pk])
    assert_sent_to_admin_login(client.get(url), url)


def test_detail_filters_and_search(editor_client, full):
    occurrence, regs = full
    url = reverse("registrations_admin:occurrence", args=[occurrence.pk])
    assert len(editor_client.get(url).context["registrations"]) == 4
    waiting = editor_client.get(url, {"statut": "waitlisted"}).context["registrations"]
    assert [r.pk for r in waiting] == [regs[2].pk, regs[3].pk] and [r.position for r in waiting] == [1, 2]
    assert len(editor_client.get(url, {"statut": "n'importe quoi"}).context["registrations"]) == 4
    found = editor_client.get(url, {"q": regs[1].email.upper()}).context["registrations"]
    assert [r.pk for r in found] == [regs[1].pk]
    assert editor_client.get(url, {"q": "x" * 5000}).status_code == 200


def test_move_off_waiting_list_cancel_and_history(editor_client, full):
    occurrence, regs = full
    act = "registrations_admin:act"
    editor_client.post(reverse(act, args=[regs[3].pk, "confirmer"]))
    assert Registration.objects.get(pk=regs[3].pk).status == S.CONFIRMED  # beyond capacity: an editor's call
    editor_client.post(reverse(act, args=[regs[0].pk, "annuler"]))
    assert Registration.objects.get(pk=regs[0].pk).status == S.CANCELLED
    assert Registration.objects.get(pk=regs[2].pk).status == S.WAITLISTED  # still over capacity: nobody promoted
    change = RegistrationChange.objects.filter(registration=regs[0]).last()
    assert change.changed_by == editor_client.editor
    history = editor_client.get(reverse("registrations_admin:history", args=[occurrence.pk]))
    assert history.status_code == 200 and str(editor_client.editor) in history.content.decode()
    assert editor_client.post(reverse(act, args=[regs[1].pk, "detruire"])).status_code == 404
    assert editor_client.get(reverse(act, args=[regs[1].pk, "annuler"])).status_code == 405


def test_add_by_hand_finds_account_or_creates_guest(editor_client, occurrence):
    member = MemberFactory()
    url = reverse("registrations_admin:add", args=[occurrence.pk])
    editor_client.post(url, {"first_name": "X", "last_name": "Y", "email": member.email.upper()})
    editor_client.post(url, {"first_name": "Jo", "last_name": "Main", "email": "jo@exemple.fr"})
    response = editor_client.post(url, {"first_name": "", "last_name": "", "email": "pas-une-adresse"})
    assert response.status_code == 302
    rows = Registration.objects.filter(occurrence=occurrence).order_by("pk")
    assert [(r.user_id, r.source, r.status) for r in rows] == [
        (member.pk, "editor", S.CONFIRMED),
        (None, "editor", S.CONFIRMED),
    ]


def test_exports_csv_and_xlsx(editor_client, full):
    occurrence, regs = full
    Registration.objects.filter(pk=regs[0].pk).update(answers={"free_text": '=HYPERLINK("http://x")'})
    url = reverse("registrations_admin:occurrence", args=[occurrence.pk])
    csv_response = editor_client.get(url, {"export": "csv"})
    text = csv_response.content.decode("utf-8-sig")
    assert csv_response["Content-Type"].startswith("text/csv") and regs[1].email in text
    assert "'=HYPERLINK" in text  # formulas neutralised
    xlsx = editor_client.get(url, {"export": "xlsx", "statut": "waitlisted"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    emails = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert emails == [regs[2].email, regs[3].email]


def test_applications_side_by_side_and_decision(editor_client, django_capture_on_commit_callbacks):
    from members.validators import with_luhn_key

    meeting = OccurrenceFactory(kind="market_engagement", audience=Audience.SUPPLIERS)
    application = applications.apply_as_supplier(
        meeting,
        company={"siret": with_luhn_key(with_luhn_key("81234567") + "0001"), "name": "Bois d'Armor"},
        contact={"first_name": "Anne", "last_name": "Kerleau", "email": "anne@bois.fr"},
        answers={"environment": "Bois local PEFC", "csr": "Bilan carbone annuel"},
    )
    application = applications.confirm_application(application)  # the e-mail link was followed
    page = editor_client.get(reverse("registrations_admin:applications", args=[meeting.pk]))
    body = page.content.decode()
    assert "Bois local PEFC" in body and "Bilan carbone annuel" in body
    mail.outbox.clear()
    url = reverse("registrations_admin:act", args=[application.pk, "decider"])
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url, {"decision": "declined", "message": "Merci, à une prochaine fois."})
    assert Registration.objects.get().status == S.DECLINED
    assert "à une prochaine fois" in mail.outbox[-1].body
    editor_client.post(url, {"decision": "hacked"})
    assert Registration.objects.get().status == S.DECLINED


def test_editor_writes_to_registrants(editor_client, full, django_capture_on_commit_callbacks):
    occurrence, regs = full
    mail.outbox.clear()
    url = reverse("registrations_admin:message", args=[occurrence.pk])
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url, {"subject": "Salle changée", "body": "Rendez-vous salle B.\n\nÀ bientôt."})
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in regs[:2])
    assert mail.outbox[0].subject.startswith("Salle changée") and "Rendez-vous salle B." in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url, {"subject": "", "body": "x" * 5001})
    assert mail.outbox == []
