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
    editor_client.post(reverse(act, args=[regs[3].pk, "confirmer"]), {"surnombre": "1"})
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


def test_confirming_beyond_capacity_asks_first_and_tells_the_truth(
    editor_client, full, django_capture_on_commit_callbacks
):
    occurrence, regs = full  # capacity 2: two confirmed, two waiting
    detail = editor_client.get(reverse("registrations_admin:occurrence", args=[occurrence.pk])).content.decode()
    assert "Confirmer en surnombre…" in detail and "Sortir de la liste d'attente" not in detail
    url = reverse("registrations_admin:act", args=[regs[2].pk, "confirmer"])
    question = editor_client.post(url)
    assert question.status_code == 200
    body = question.content.decode()
    assert "Capacité : 2 places." in body and "Places prises (confirmées" in body and ": 2." in body
    assert 'name="surnombre" value="1"' in body
    assert Registration.objects.get(pk=regs[2].pk).status == S.WAITLISTED  # nothing done without the answer
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = editor_client.post(url, {"surnombre": "1"}, follow=True)
    assert Registration.objects.get(pk=regs[2].pk).status == S.CONFIRMED
    assert "en surnombre : 3 places prises pour 2" in done.content.decode()
    [message] = [m for m in mail.outbox if m.to == [regs[2].email]]
    assert message.subject.startswith("Inscription confirmée")
    assert "libérée" not in message.subject + message.body


def test_confirming_on_a_free_seat_needs_no_question(editor_client, full, django_capture_on_commit_callbacks):
    occurrence, regs = full
    occurrence.capacity = 3
    occurrence.save(update_fields=["capacity"])
    page = editor_client.get(reverse("registrations_admin:occurrence", args=[occurrence.pk])).content.decode()
    assert "Confirmer sur une place libre" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("registrations_admin:act", args=[regs[2].pk, "confirmer"]))
    assert response.status_code == 302
    assert Registration.objects.get(pk=regs[2].pk).status == S.CONFIRMED
    assert [m.subject for m in mail.outbox if m.to == [regs[2].email]][0].startswith("Inscription confirmée")


def test_hand_added_people_choose_a_member_body_or_say_non_member(editor_client, occurrence):
    from tests.factories import OrganisationFactory

    nantes = OrganisationFactory(name="Ville de Nantes")
    url = reverse("registrations_admin:add", args=[occurrence.pk])
    person = {"first_name": "Jo", "last_name": "Main", "email": "jo@exemple.fr"}
    editor_client.post(url, {**person, "organisation_name": "ville de nantes"})  # a member typed as text
    editor_client.post(url, {**person, "organisation": nantes.pk, "organisation_name": "Autre"})  # both
    assert not Registration.objects.filter(occurrence=occurrence).exists()
    editor_client.post(url, {**person, "organisation": nantes.pk})
    editor_client.post(url, {**person, "email": "lea@cabinet.fr", "organisation_name": "Cabinet Conseil"})
    rows = Registration.objects.filter(occurrence=occurrence).order_by("pk")
    assert [(r.organisation_id, r.organisation_name) for r in rows] == [
        (nantes.pk, "Ville de Nantes"),
        (None, "Cabinet Conseil"),
    ]
    page = editor_client.get(reverse("registrations_admin:occurrence", args=[occurrence.pk])).content.decode()
    assert "Cabinet Conseil <small>(non membre)</small>" in page


def test_index_searches_filters_and_counts(editor_client):
    from django.utils import timezone

    from tests.factories import OrganisationFactory

    rennes = OrganisationFactory(name="Rennes Métropole")
    later = OccurrenceFactory(capacity=1, kind="webinar", audience=Audience.EVERYONE)
    soon = OccurrenceFactory(capacity=5, kind="training")
    past = OccurrenceFactory(
        capacity=5, start=timezone.now() - timezone.timedelta(days=3), end=timezone.now() - timezone.timedelta(days=3)
    )
    services.register(later, guest={"first_name": "Anne", "last_name": "Kerleau", "email": "anne@x.fr"})
    services.register(later, user=MemberFactory(organisation=rennes))
    services.register(later, user=MemberFactory(organisation=rennes))  # waitlisted: one seat
    services.register(soon, user=MemberFactory(organisation=rennes))
    Registration.objects.create(occurrence=past, first_name="P", last_name="Q", email="p@x.fr", status=S.CONFIRMED)
    url = reverse("registrations_admin:index")

    def pks(params):
        return {o.pk for o in editor_client.get(url, params).context["occurrences"]}

    assert pks({}) == {later.pk, soon.pk}
    assert pks({"periode": "passees"}) == {past.pk}
    assert pks({"periode": "toutes"}) == {later.pk, soon.pk, past.pk}
    assert pks({"q": "kerleau"}) == {later.pk}
    assert pks({"q": "rennes métropole"}) == {later.pk, soon.pk}
    assert pks({"statut": "waitlisted"}) == {later.pk}
    assert pks({"type": "training"}) == {soon.pk}
    assert pks({"statut": "nimporte", "type": "<script>", "periode": "x", "du": "2025-13-45"}) == {later.pk, soon.pk}
    day = timezone.localtime(soon.start).date().isoformat()
    assert soon.pk in pks({"du": day, "au": day})
    response = editor_client.get(url, {"q": "rennes"})
    assert {r.occurrence_id for r in response.context["found"]} == {later.pk, soon.pk}
    assert len(response.context["found"]) == 3
    counts = {value: n for value, _label, n in response.context["statuses"]}
    assert (counts["confirmed"], counts["waitlisted"], counts["pending_confirmation"]) == (2, 1, 1)
    assert "en liste d&#x27;attente (1)" in response.content.decode()
