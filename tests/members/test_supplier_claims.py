"""A supplier contact claims their company: e-mail verification, then an editor's approval (an
address outside the company's website domain is flagged); then they update its profile."""

import datetime
import re

from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from members import suppliers
from members.models import SUPPLIERS_GROUP, ClaimStatus, Label, SupplierClaim
from tests.factories import EditorFactory, MemberFactory, SupplierFactory, UserFactory
from tests.factories.registrations import ensure_page_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return SupplierFactory(name="Textiles de l'Ouest", website="https://www.textiles-ouest.fr")


@pytest.fixture
def person():
    return UserFactory(email="yann@textiles-ouest.fr")


def verify_path(message):
    return re.search(r"https?://[^/\s]+(/compte/entreprise/verifier/\S+/)", message.body).group(1)


def claim_and_verify(client, person, company, capture):
    client.force_login(person)
    with capture(execute=True):
        response = client.post(reverse("members:claim"), {"siret": company.siret})
    assert response.status_code == 302
    assert client.get(verify_path(mail.outbox[-1])).status_code == 302
    return SupplierClaim.objects.get(user=person)


def test_claim_verified_approved_then_profile_edited(client, person, company, django_capture_on_commit_callbacks):
    claim = claim_and_verify(client, person, company, django_capture_on_commit_callbacks)
    assert claim.status == ClaimStatus.PENDING and claim.domain_matches and claim.verified_at
    # Not approved yet: the profile is not theirs.
    assert client.get(reverse("members:company", args=[company.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        suppliers.decide_claim(claim, approve=True, actor=EditorFactory())
    person.refresh_from_db()
    assert person.supplier == company and person.groups.filter(name=SUPPLIERS_GROUP).exists()
    assert "acceptée" in mail.outbox[-1].body
    label = Label.objects.get_or_create(name="FSC")[0]
    url = reverse("members:company", args=[company.pk])
    response = client.post(
        url, {"website": "https://textiles-ouest.fr/rse", "description": "Filature locale.", "labels": [label.pk]}
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.website == "https://textiles-ouest.fr/rse" and company.description == "Filature locale."
    assert list(company.labels.all()) == [label] and company.name == "Textiles de l'Ouest"
    assert "Mettre à jour la fiche" in client.get(reverse("members:account")).content.decode()


def test_another_domain_is_flagged_to_the_editor(client, company, django_capture_on_commit_callbacks):
    outsider = UserFactory(email="quelquun@gmail.com")
    claim = claim_and_verify(client, outsider, company, django_capture_on_commit_callbacks)
    assert claim.domain_matches is False
    ensure_page_tree()
    client.force_login(EditorFactory())
    page = client.get(reverse("members_claim_decide", args=[claim.pk])).content.decode()
    assert "pas sur le domaine" in page and "textiles-ouest.fr" in page
    listing = client.get(reverse("members_supplierclaim:index")).content.decode()
    assert "quelquun@gmail.com" in listing
    response = client.post(reverse("members_claim_decide", args=[claim.pk]), {"decision": "decline", "message": "Non."})
    assert response.status_code == 302
    claim.refresh_from_db()
    outsider.refresh_from_db()
    assert claim.status == ClaimStatus.DECLINED and outsider.supplier is None


def test_domain_rule():
    assert suppliers.domain_matches("a@textiles-ouest.fr", "https://www.textiles-ouest.fr/x")
    assert suppliers.domain_matches("a@mail.textiles-ouest.fr", "textiles-ouest.fr") is False  # no scheme: no host
    assert not suppliers.domain_matches("a@evil-textiles-ouest.fr", "https://textiles-ouest.fr")
    assert not suppliers.domain_matches("a@textiles-ouest.fr", "")


def test_someone_else_s_company_is_a_404(client, person, company):
    other = SupplierFactory()
    SupplierClaim.objects.create(user=person, supplier=company, email=person.email, status=ClaimStatus.APPROVED)
    client.force_login(person)
    assert client.get(reverse("members:company", args=[company.pk])).status_code == 200
    assert client.get(reverse("members:company", args=[other.pk])).status_code == 404
    assert client.post(reverse("members:company", args=[other.pk]), {"website": "https://x.fr"}).status_code == 404
    other.refresh_from_db()
    assert other.website == ""


@pytest.mark.parametrize(
    ("token", "status"),
    [("forge", 400), ("x" * 3000, 400), (signing.dumps({"c": 1, "u": 1}, salt="autre"), 400)],
)
def test_forged_verification_links(client, person, company, token, status):
    claim = SupplierClaim.objects.create(user=person, supplier=company, email=person.email)
    client.force_login(person)
    response = client.get(reverse("members:claim_verify", args=[token]))
    assert response.status_code == status and "pas valide" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.UNVERIFIED


def test_expired_or_someone_else_s_link(client, person, company):
    claim = SupplierClaim.objects.create(user=person, supplier=company, email=person.email)
    token = suppliers.claim_token(claim)
    client.force_login(UserFactory())
    assert client.get(reverse("members:claim_verify", args=[token])).status_code == 400
    client.force_login(person)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=4)):
        response = client.get(reverse("members:claim_verify", args=[token]))
    assert response.status_code == 410 and "expiré" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.UNVERIFIED


@pytest.mark.parametrize(
    ("siret", "status", "text"),
    [
        ("12345678901234", 400, "SIRET"),
        ("", 400, "SIRET"),
        ("1" * 5000, 400, "SIRET"),
        ("<script>", 400, "SIRET"),
    ],
)
def test_bad_claims(client, person, siret, status, text):
    client.force_login(person)
    response = client.post(reverse("members:claim"), {"siret": siret})
    assert response.status_code == status and text in response.content.decode()
    assert not SupplierClaim.objects.exists()


def test_unknown_company_and_second_claim(client, person, company, django_capture_on_commit_callbacks):
    client.force_login(person)
    unknown = SupplierFactory.build().siret
    response = client.post(reverse("members:claim"), {"siret": unknown})
    assert response.status_code == 400 and "Aucune entreprise" in response.content.decode()
    client.post(reverse("members:claim"), {"siret": company.siret})
    response = client.post(reverse("members:claim"), {"siret": SupplierFactory().siret})
    assert response.status_code == 409 and "déjà une demande" in response.content.decode()
    assert SupplierClaim.objects.count() == 1


def test_agents_of_members_and_anonymous_cannot_claim(client, company):
    response = client.get(reverse("members:claim"))
    assert response.status_code == 302
    client.force_login(MemberFactory())
    assert client.post(reverse("members:claim"), {"siret": company.siret}).status_code == 403
    assert not SupplierClaim.objects.exists()


def test_hostile_profile_input_is_refused(client, person, company):
    SupplierClaim.objects.create(user=person, supplier=company, email=person.email, status=ClaimStatus.APPROVED)
    client.force_login(person)
    url = reverse("members:company", args=[company.pk])
    for data in ({"description": "x" * 2001}, {"website": "javascript:alert(1)"}, {"labels": ["999999"]}):
        assert client.post(url, data).status_code == 400
    company.refresh_from_db()
    assert company.website == "https://www.textiles-ouest.fr" and company.description == ""
    client.post(url, {"website": company.website, "description": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in client.get(url).content.decode()


def test_editor_cannot_decide_an_unverified_claim(person, company):
    claim = SupplierClaim.objects.create(user=person, supplier=company, email=person.email)
    with pytest.raises(suppliers.SupplierError) as error:
        suppliers.decide_claim(claim, approve=True, actor=None)
    assert error.value.code == "invalid_status"
