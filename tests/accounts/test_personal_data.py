"""Account requests are personal data: exported with the person's data, erased with them."""

import pytest

from accounts.models import AccountRequest, Referent
from personaldata.exporters import account_requests
from personaldata.services import erase_email, erase_person
from tests.factories import EditorFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_requests_and_referent_role_are_exported_then_erased(nantes):
    person = MemberFactory(email="lea@nantes.fr", organisation=nantes)
    Referent.objects.get_or_create(organisation=nantes, user=person)
    AccountRequest.objects.create(
        first_name="Léa", last_name="B", email="LEA@nantes.fr", organisation=nantes, job_title="x", status="approved"
    )
    exported = account_requests(person)
    assert exported["referent_de"] == ["Ville de Nantes"] and len(exported["demandes"]) == 1
    erase_person(person, actor=EditorFactory())
    assert not AccountRequest.objects.exists() and not Referent.objects.exists()


def test_a_request_without_account_is_erased_by_address():
    AccountRequest.objects.create(first_name="Paul", last_name="R", email="paul@exemple.fr", job_title="x")
    erase_email("Paul@exemple.fr", actor=EditorFactory())
    assert not AccountRequest.objects.exists()
