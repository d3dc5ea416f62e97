"""« Mon organisation »: a référent sees and acts for their organisation, and nothing of another
(another organisation's ids answer 404)."""

from django.urls import reverse

import pytest

from accounts.models import AccountRequest, OrganisationBilling, Referent, RequestStatus
from members.models import User
from payments.services import register_with_invoice
from registrations.models import OccurrencePart
from tests.factories import MemberFactory, OrganisationFactory, StandardPageFactory
from tests.factories.attendance import AttendanceFactory, OccurrenceFactory, RegistrationFactory
from tests.factories.trainings import TrainingIndexPageFactory, training_with_runs

pytestmark = pytest.mark.django_db
BILLING = {
    "billing_entity": "Ville de Nantes",
    "billing_siret": "21440109300015",
    "billing_address": "2 rue de l'Hôtel de Ville\n44000 Nantes",
    "purchase_order": "BC-1",
    "chorus_service_code": "",
}


@pytest.fixture
def rennes(db):
    return OrganisationFactory(name="Rennes Métropole")


@pytest.fixture
def referent(nantes):
    person = MemberFactory(email="referente@nantes.fr", organisation=nantes)
    Referent.objects.get_or_create(organisation=nantes, user=person)
    return person


@pytest.fixture
def referent_client(client, referent):
    client.force_login(referent)
    return client


def pending(organisation, email):
    return AccountRequest.objects.create(
        first_name="Léa", last_name="B", email=email, organisation=organisation, job_title="Acheteuse"
    )


def test_referent_sees_colleagues_and_own_requests_only(referent_client, nantes, rennes, colleague):
    MemberFactory(email="quelquun@rennes.fr", organisation=rennes)
    pending(nantes, "lea@nantes.fr")
    pending(rennes, "paul@rennes.fr")
    response = referent_client.get("/compte/organisation/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "agent@nantes.fr" in html and "lea@nantes.fr" in html
    assert "rennes.fr" not in html
    assert "Gérer mon organisation" in referent_client.get("/compte/").content.decode()


def test_referent_approves_a_colleague(referent_client, sent, nantes, referent):
    request = pending(nantes, "lea@nantes.fr")
    with sent() as block:
        response = referent_client.post(f"/compte/organisation/demandes/{request.pk}/accepter/")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED and request.decided_by == referent
    assert User.objects.get(email="lea@nantes.fr").organisation == nantes
    assert "/compte/bienvenue/" in block.messages[0].body


@pytest.mark.parametrize("action", ["accepter", "refuser"])
def test_another_organisations_request_is_a_404_and_stays_pending(referent_client, rennes, action):
    request = pending(rennes, "paul@rennes.fr")
    response = referent_client.post(f"/compte/organisation/demandes/{request.pk}/{action}/", {"message": "non"})
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert not User.objects.filter(email="paul@rennes.fr").exists()


def test_a_request_without_organisation_is_not_the_referents(referent_client):
    request = pending(None, "x@exemple.fr")
    assert referent_client.post(f"/compte/organisation/demandes/{request.pk}/accepter/").status_code == 404


def test_non_referents_get_a_404(client, colleague):
    client.force_login(colleague)
    assert client.get("/compte/organisation/").status_code == 404
    assert client.get("/compte/organisation/facturation/").status_code == 404
    assert "Gérer mon organisation" not in client.get("/compte/").content.decode()


def test_a_referent_who_left_the_organisation_sees_nothing(client, referent, rennes):
    referent.organisation = rennes
    referent.save()
    client.force_login(referent)
    assert client.get("/compte/organisation/").status_code == 404


def test_referent_updates_billing_details_that_prefill_invoices(referent_client, nantes, colleague, home_page):
    bad = referent_client.post("/compte/organisation/facturation/", {"entity": "Ville", "siret": "123", "address": "x"})
    assert bad.status_code == 400 and "14 chiffres" in bad.content.decode()
    response = referent_client.post(
        "/compte/organisation/facturation/",
        {"entity": "Ville de Nantes — Achats", "siret": "214 401 093 00015", "address": "2 rue\n44000 Nantes"},
    )
    assert response.status_code == 302
    billing = OrganisationBilling.objects.get(organisation=nantes)
    assert billing.siret == "21440109300015"
    training = training_with_runs(TrainingIndexPageFactory(parent=home_page))
    referent_client.force_login(colleague)
    html = referent_client.get(f"/payments/formation/{training.occurrences.get().pk}/").content.decode()
    assert "Ville de Nantes — Achats" in html and "21440109300015" in html


def test_referent_sees_and_downloads_the_organisations_invoices_not_anothers(
    referent_client, nantes, rennes, colleague, home_page
):
    run = training_with_runs(TrainingIndexPageFactory(parent=home_page)).occurrences.get()
    _, _, invoice = register_with_invoice(run, user=colleague, billing=BILLING)
    other = MemberFactory(organisation=rennes)
    _, _, foreign = register_with_invoice(run, user=other, billing=BILLING)
    html = referent_client.get("/compte/organisation/").content.decode()
    assert invoice.number in html and foreign.number not in html
    assert referent_client.get(f"/payments/factures/{invoice.number}.pdf").status_code == 200
    assert referent_client.get(f"/payments/factures/{foreign.number}.pdf").status_code == 404


def test_referent_sees_the_organisations_registrations_and_certificates(referent_client, nantes, rennes, home_page):
    occurrence = OccurrenceFactory(page=StandardPageFactory(parent=home_page, title="Atelier achats"))
    mine = RegistrationFactory(occurrence=occurrence, organisation=nantes, last_name="Nantaise")
    theirs = RegistrationFactory(occurrence=occurrence, organisation=rennes, last_name="Rennaise")
    for registration in (mine, theirs):
        AttendanceFactory(registration=registration, part=OccurrencePart.objects.filter(occurrence=occurrence).first())
    html = referent_client.get("/compte/organisation/").content.decode()
    assert "Nantaise" in html and "Rennaise" not in html
    certificate = reverse("attendance:certificate", kwargs={"registration_id": mine.pk})
    assert certificate in html
    assert referent_client.get(certificate).status_code == 200
    foreign = reverse("attendance:certificate", kwargs={"registration_id": theirs.pk})
    assert referent_client.get(foreign).status_code == 403


def test_referent_must_belong_to_the_organisation(nantes, rennes):
    from django.core.exceptions import ValidationError

    person = MemberFactory(organisation=rennes)
    with pytest.raises(ValidationError):
        Referent(organisation=nantes, user=person).full_clean()
