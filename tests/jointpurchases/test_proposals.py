"""A member body's référent proposes a grouped purchase at /achats-groupes/proposer/: a draft
submitted to the editors' review (Wagtail's workflow), changed while still a draft, published
by an editor only; bad and hostile input is refused in French with nothing saved."""

import datetime

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents import get_document_model
from wagtail.models import Page, WorkflowState

import pytest
import time_machine

from accounts.models import Referent
from jointpurchases.models import JointPurchasePage
from jointpurchases.proposals import proposals_of
from sectors.models import Sector
from tests.factories import EditorFactory, MemberFactory, OrganisationFactory, SupplierContactFactory
from tests.factories.jointpurchases import make_index

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 1)
URL = "/achats-groupes/proposer/"


@pytest.fixture
def index(home_page):
    return make_index(home_page)


@pytest.fixture
def referent():
    person = MemberFactory(
        email="referente@laval.fr",
        first_name="Lucie",
        last_name="Référente",
        organisation=OrganisationFactory(name="Ville de Laval"),
    )
    Referent.objects.create(organisation=person.organisation, user=person)
    return person


@pytest.fixture
def sector():
    return Sector.objects.get_or_create(slug="alimentation-restauration", defaults={"name": "Alimentation"})[0]


def data(sector, **extra):
    return {
        "title": "Café équitable 2027",
        "sector": str(sector.pk),
        "summary": "Du café pour l'ensemble des agents.\n\nCommerce équitable et bio.",
        "interest_deadline": "2026-04-30",
        "convention_deadline": "2026-06-15",
        "tender_deadline": "2026-09-01",
        "lot_1_name": "Café en grains",
        "lot_1_unit": "kg",
        "lot_2_name": "Café moulu",
        "lot_2_unit": "kg",
        **extra,
    }


def pdf(name="convention.pdf", body=b"%PDF-1.4\n%%EOF\n"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_only_a_member_bodys_referent_may_propose(client, index):
    response = client.get(URL)
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    for person in (SupplierContactFactory(), MemberFactory(), EditorFactory()):
        client.force_login(person)
        response = client.get(URL)
        assert response.status_code == 403
        assert "Seuls les référents d&#x27;une collectivité membre" in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_referent_proposes_a_draft_that_goes_to_the_editors(client, index, referent, sector):
    editor = EditorFactory(email="editeur@reseco.fr")
    client.force_login(referent)
    form = client.get(URL)
    assert form.status_code == 200 and "Un fichier PDF, DOCX" in form.content.decode()
    response = client.post(URL, {**data(sector), "convention": pdf()})
    assert response.status_code == 302 and response["Location"].endswith("/compte/#groupements")
    page = JointPurchasePage.objects.get()
    assert not page.live and page.first_published_at is None and page.get_parent().pk == index.pk
    assert page.coordinator == referent.organisation and page.owner == referent
    assert [(lot.name, lot.unit) for lot in page.lots.order_by("sort_order")] == [
        ("Café en grains", "kg"),
        ("Café moulu", "kg"),
    ]
    assert page.summary == "<p>Du café pour l&#x27;ensemble des agents.</p><p>Commerce équitable et bio.</p>"
    assert page.convention.collection.name == "Documents réservés aux membres"
    # Submitted to the « Relecture avant publication » workflow: the editors are told.
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert any(editor.email in m.to and "Café équitable 2027" in m.subject for m in mail.outbox)
    # The draft is not served to anybody, and the référent sees it in « Mon compte ».
    assert client.get(page.url or "/achats-groupes/cafe-equitable-2027/").status_code == 404
    account = client.get("/compte/").content.decode()
    assert "Café équitable 2027" in account and "en attente de relecture" in account
    assert proposals_of(referent.organisation_id)[0][0].pk == page.pk


@time_machine.travel(TODAY, tick=False)
def test_the_referent_changes_the_draft_until_an_editor_publishes_it(client, index, referent, sector):
    client.force_login(referent)
    client.post(URL, data(sector))
    page = JointPurchasePage.objects.get()
    grains = page.lots.get(name="Café en grains")
    edit_url = f"{URL}{page.pk}/"
    form = client.get(edit_url).content.decode()
    assert "Café en grains" in form and "Commerce équitable et bio." in form
    assert "l&#x27;ensemble des agents" in form and "&amp;#x27;" not in form  # typed text, back as typed
    response = client.post(edit_url, data(sector, title="Café équitable", lot_2_name="", lot_2_unit=""))
    assert response.status_code == 302
    page.refresh_from_db()
    draft = page.get_latest_revision_as_object()
    assert draft.title == "Café équitable" and [lot.key for lot in draft.lots.all()] == [grains.key]
    assert WorkflowState.objects.filter(object_id=str(page.pk), status="in_progress").count() == 1

    # An editor approves: the page is published (as the latest revision has it).
    editor = EditorFactory()
    state = page.current_workflow_state
    state.current_task_state.task.specific.on_action(state.current_task_state, editor, "approve")
    page.refresh_from_db()
    assert page.live and page.title == "Café équitable"
    assert client.get(edit_url).status_code == 403  # published: no more changes by the member
    assert client.post(edit_url, data(sector, title="Autre")).status_code == 403
    assert page.coordinator == referent.organisation
    assert client.get(page.url + "coordination/").status_code == 200  # the coordinator's powers
    assert "Mes propositions" in client.get("/compte/").content.decode()


@time_machine.travel(TODAY, tick=False)
def test_bad_input_is_refused_field_by_field_in_french(client, index, referent, sector):
    client.force_login(referent)
    cases = {
        "lot_1_name": data(sector, lot_1_name="", lot_1_unit="", lot_2_name="", lot_2_unit=""),
        "lot_2_unit": data(sector, lot_2_unit=""),
        "convention_deadline": data(sector, convention_deadline="2026-04-01"),
        "interest_deadline": data(sector, interest_deadline="2026-01-01"),
        "title": data(sector, title="x" * 500),
        "summary": data(sector, summary="x" * 5000),
        "sector": {**data(sector), "sector": "999999"},
    }
    for field, posted in cases.items():
        response = client.post(URL, posted)
        assert response.status_code == 400, field
        assert field in response.context["form"].errors, field
        assert "Le formulaire contient des erreurs" in response.content.decode()
    assert not JointPurchasePage.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_conventions_follow_the_attachment_rules(client, index, referent, sector, settings):
    client.force_login(referent)
    fake = SimpleUploadedFile("convention.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    exe = SimpleUploadedFile("convention.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    huge = pdf(body=b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024))
    for upload, words in ((fake, "pas un vrai fichier"), (exe, "n&#x27;est pas accepté"), (huge, "la limite")):
        response = client.post(URL, {**data(sector), "convention": upload})
        assert response.status_code == 400 and words in response.content.decode()
        assert "convention" in response.context["form"].errors
    assert not JointPurchasePage.objects.exists() and not get_document_model().objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_hostile_input_saves_nothing_harmful(client, index, referent, sector):
    other = OrganisationFactory(name="Ville de Rennes")
    client.force_login(referent)
    for key in ("coordinator", "organisation"):
        response = client.post(URL, {**data(sector), key: str(other.pk)})
        assert response.status_code == 403 and "votre propre collectivité" in response.content.decode()
    assert not JointPurchasePage.objects.exists()
    assert client.post(URL, data(sector, title="<b>Café</b>")).status_code == 400
    assert client.post(URL, data(sector, summary="a\x00b")).status_code == 400
    response = client.post(
        URL,
        data(sector, title="Café\r\nBcc: x@y.fr", summary="<script>alert(1)</script>\r\n\r\n<b>gras</b>"),
    )
    assert response.status_code == 302, response.context["form"].errors
    page = JointPurchasePage.objects.get()
    assert page.title == "Café Bcc: x@y.fr"  # one line
    assert "<script>" not in page.summary and "&lt;script&gt;" in page.summary
    # Another body's référent cannot open or change it.
    intruder = MemberFactory(organisation=other)
    Referent.objects.create(organisation=other, user=intruder)
    client.force_login(intruder)
    assert client.get(f"{URL}{page.pk}/").status_code == 404
    assert client.post(f"{URL}{page.pk}/", data(sector, title="Détourné")).status_code == 404
    assert page.get_latest_revision_as_object().title == "Café Bcc: x@y.fr"
    assert client.get(f"{URL}{Page.objects.get(depth=2).pk}/").status_code == 404  # not a proposal
    # An editor's own draft for a body is not its référent's to change.
    client.force_login(referent)
    page.owner = EditorFactory()
    page.save(update_fields=["owner"])
    assert client.get(f"{URL}{page.pk}/").status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_changes_requested_by_an_editor_then_resubmitted(client, index, referent, sector):
    client.force_login(referent)
    client.post(URL, data(sector))
    page = JointPurchasePage.objects.get()
    state = page.current_workflow_state
    state.current_task_state.task.specific.on_action(state.current_task_state, EditorFactory(), "reject")
    assert "modifications demandées" in client.get("/compte/").content.decode()
    assert client.post(f"{URL}{page.pk}/", data(sector, lot_3_name="Thé", lot_3_unit="kg")).status_code == 302
    page.refresh_from_db()
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert [lot.name for lot in page.get_latest_revision_as_object().lots.all()][-1] == "Thé"
    assert "en attente de relecture" in client.get("/compte/").content.decode()
