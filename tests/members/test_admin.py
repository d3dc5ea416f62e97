"""Editors manage organisations, people and suppliers from the Wagtail admin."""

import io

import openpyxl
import pytest

from members.models import Organisation
from tests.factories import EditorFactory, MemberFactory, OrganisationFactory, SupplierFactory
from tests.utils import assert_sent_to_admin_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(EditorFactory())
    return client


def test_editor_lists_searches_and_filters_organisations(editor_client):
    OrganisationFactory(name="Ville de Nantes", region="pdl")
    OrganisationFactory(name="Rennes Métropole", region="bre")
    listing = editor_client.get("/admin/reseau/organisations/", {"q": "Nantes"})
    assert listing.status_code == 200
    assert "Ville de Nantes" in listing.content.decode()
    assert "Rennes Métropole" not in listing.content.decode()
    filtered = editor_client.get("/admin/reseau/organisations/", {"region": "bre"})
    assert "Rennes Métropole" in filtered.content.decode()


def test_editor_exports_organisations_as_spreadsheet(editor_client):
    OrganisationFactory(name="Ville de Nantes")
    response = editor_client.get("/admin/reseau/organisations/", {"export": "xlsx"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert "Ville de Nantes" in values
    csv = editor_client.get("/admin/reseau/organisations/", {"export": "csv"})
    assert "Ville de Nantes" in b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()


def test_invalid_siren_is_refused_with_the_reason(editor_client):
    response = editor_client.post(
        "/admin/reseau/organisations/new/",
        {
            "name": "Commune fictive",
            "kind": "commune",
            "siren": "123456789",
            "region": "pdl",
            "member_since": "2020-01-01",
            "active": "on",
        },
    )
    assert response.status_code == 200  # the admin re-displays the form with the error
    assert "clé de contrôle" in response.content.decode()
    assert not Organisation.objects.filter(name="Commune fictive").exists()


def test_invalid_siret_is_refused(editor_client):
    response = editor_client.post("/admin/reseau/fournisseurs/new/", {"name": "Société X", "siret": "12345678901234"})
    assert "clé de contrôle" in response.content.decode()


def test_editing_a_person_keeps_privacy_groups_in_step(editor_client):
    person = MemberFactory()
    other = OrganisationFactory(member_until="2001-01-01", member_since="2000-01-01")
    response = editor_client.post(
        f"/admin/reseau/personnes/edit/{person.pk}/",
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "organisation": other.pk,
            "supplier": "",
            "job_title": "",
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert not person.groups.filter(name="Membres").exists()


def test_suppliers_listing(editor_client):
    SupplierFactory(name="Nettoyage Vert")
    assert "Nettoyage Vert" in editor_client.get("/admin/reseau/fournisseurs/").content.decode()


def test_members_cannot_open_the_admin(client):
    client.force_login(MemberFactory())
    assert_sent_to_admin_login(client.get("/admin/reseau/organisations/"), "/admin/reseau/organisations/")
