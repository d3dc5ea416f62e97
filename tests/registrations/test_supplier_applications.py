"""An anonymous application never changes a stored company: it carries its own submitted details,
is confirmed by e-mail, stands alone (the same SIRET never blocks another applicant) and an
editor takes over, field by field, what is right."""

import datetime
import re

from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from members.audience import Audience
from members.models import ClaimStatus, Label, Supplier, SupplierClaim
from registrations import application_review, applications
from registrations.emails import GUEST_SALT
from registrations.errors import RegistrationError
from registrations.models import CompanyReview, Registration
from registrations.models import RegistrationStatus as S
from sectors.models import Sector
from tests.factories import EditorFactory, SupplierContactFactory, SupplierFactory
from tests.factories.registrations import OccurrenceFactory, ensure_page_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return OccurrenceFactory(kind="market_engagement", audience=Audience.SUPPLIERS)


@pytest.fixture
def stored():
    supplier = SupplierFactory(name="Textiles de l'Ouest", website="https://textiles-ouest.fr", city="Cholet")
    supplier.labels.set([Label.objects.get_or_create(name="FSC")[0]])
    return supplier


def form_data(siret, **changes):
    return {
        "siret": siret,
        "company_name": "Textiles de l'Ouest (faux)",
        "website": "https://pirate.example",
        "city": "Ailleurs",
        "first_name": "Yann",
        "last_name": "Le Goff",
        "email": "yann@pirate.example",
        "q_environment": "Fibres recyclées.",
    } | changes


def confirm_link(message):
    return re.search(r"https?://\S+/inscriptions/confirmer/\S+/", message.body).group(0)


def test_anonymous_application_never_changes_the_stored_company(
    client, meeting, stored, django_capture_on_commit_callbacks
):
    label = Label.objects.get_or_create(name="Label de test")[0]
    sector = Sector.objects.first() or Sector.objects.create(name="Textiles", slug="textiles")
    url = reverse("registrations:apply", args=[meeting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(stored.siret, labels=[label.pk], sectors=[sector.pk]))
    assert response.status_code == 302
    stored.refresh_from_db()
    assert (stored.name, stored.website, stored.city) == ("Textiles de l'Ouest", "https://textiles-ouest.fr", "Cholet")
    assert list(stored.labels.values_list("name", flat=True)) == ["FSC"] and not stored.sectors.exists()
    application = Registration.objects.get()
    assert application.supplier is None and application.status == S.PENDING_CONFIRMATION
    submitted = application.submitted_company
    assert (submitted.website, submitted.name) == ("https://pirate.example", "Textiles de l'Ouest (faux)")
    assert list(submitted.labels.all()) == [label]
    assert mail.outbox[-1].to == ["yann@pirate.example"]


def test_a_second_applicant_with_the_same_siret_is_not_blocked(
    client, meeting, stored, django_capture_on_commit_callbacks
):
    url = reverse("registrations:apply", args=[meeting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form_data(stored.siret))
        client.post(url, form_data(stored.siret, email="contact@textiles-ouest.fr", company_name="Textiles de l'Ouest"))
    assert Registration.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["contact@textiles-ouest.fr", "yann@pirate.example"]
    # The real company confirms and reaches the working group; the first applicant never did.
    real = Registration.objects.get(email="contact@textiles-ouest.fr")
    link = confirm_link(mail.outbox[-1] if mail.outbox[-1].to == [real.email] else mail.outbox[0])
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert "Confirmer ma candidature" in client.get("/" + path).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/" + path)
    assert response.status_code == 302
    real.refresh_from_db()
    assert real.status == S.APPLIED
    assert Registration.objects.get(email="yann@pirate.example").status == S.PENDING_CONFIRMATION


@pytest.mark.parametrize(
    ("make_token", "status"),
    [
        (lambda r: "forge", 400),
        (lambda r: signing.dumps({"r": r.pk, "t": "autre"}, salt=GUEST_SALT), 400),
        (lambda r: signing.dumps({"r": r.pk, "t": r.token}, salt="autre-sel"), 400),
        (lambda r: "x" * 5000, 400),
    ],
)
def test_forged_confirmation_links_are_refused_in_french(client, meeting, stored, make_token, status):
    application = applications.apply_as_supplier(
        meeting,
        company={"siret": stored.siret, "name": "X"},
        contact={"first_name": "A", "last_name": "B", "email": "a@b.fr"},
    )
    response = client.post(reverse("registrations:confirm_guest", args=[make_token(application)]))
    assert response.status_code == status and "pas valide" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.PENDING_CONFIRMATION


def test_expired_confirmation_link_is_refused(client, meeting, stored):
    application = applications.apply_as_supplier(
        meeting,
        company={"siret": stored.siret, "name": "X"},
        contact={"first_name": "A", "last_name": "B", "email": "a@b.fr"},
    )
    token = signing.dumps({"r": application.pk, "t": application.token}, salt=GUEST_SALT)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        response = client.post(reverse("registrations:confirm_guest", args=[token]))
    assert response.status_code == 400 and "expiré" in response.content.decode()


@pytest.fixture
def editor_client(client):
    ensure_page_tree()
    client.force_login(EditorFactory())
    return client


def test_editor_reviews_field_by_field(editor_client, meeting, stored):
    label = Label.objects.get_or_create(name="Label de test")[0]
    application = applications.apply_as_supplier(
        meeting,
        company={"siret": stored.siret, "name": "Autre nom", "website": "https://neuf.example", "labels": [label]},
        contact={"first_name": "A", "last_name": "B", "email": "a@b.fr"},
    )
    url = reverse("registrations_admin:review_company", args=[application.pk])
    body = editor_client.get(url).content.decode()
    assert "https://neuf.example" in body and "https://textiles-ouest.fr" in body and "Autre nom" in body
    response = editor_client.post(url, {"decision": "merge", "fields": ["website"]})
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.website == "https://neuf.example" and stored.name == "Textiles de l'Ouest"
    assert list(stored.labels.values_list("name", flat=True)) == ["FSC"]
    application.refresh_from_db()
    assert application.supplier == stored
    assert application.submitted_company.review == CompanyReview.MERGED
    assert application.submitted_company.accepted_fields == ["website"]


def test_editor_keeps_the_record_or_creates_it(editor_client, meeting, stored):
    contact = {"first_name": "A", "last_name": "B", "email": "a@b.fr"}
    kept = applications.apply_as_supplier(
        meeting, company={"siret": stored.siret, "name": "Autre", "city": "Brest"}, contact=contact
    )
    editor_client.post(
        reverse("registrations_admin:review_company", args=[kept.pk]), {"decision": "keep", "fields": ["city"]}
    )
    stored.refresh_from_db()
    assert stored.city == "Cholet"
    new_siret = SupplierFactory.build().siret
    created = applications.apply_as_supplier(
        meeting,
        company={"siret": new_siret, "name": "Nouvelle", "city": "Vannes"},
        contact=dict(contact, email="c@d.fr"),
    )
    editor_client.post(
        reverse("registrations_admin:review_company", args=[created.pk]), {"decision": "merge", "fields": ["city"]}
    )
    company = Supplier.objects.get(siret=new_siret)
    assert (company.name, company.city) == ("Nouvelle", "Vannes")


def test_hostile_review_input_changes_nothing(editor_client, meeting, stored):
    application = applications.apply_as_supplier(
        meeting,
        company={"siret": stored.siret, "name": "<script>alert(1)</script>"},
        contact={"first_name": "A", "last_name": "B", "email": "a@b.fr"},
    )
    url = reverse("registrations_admin:review_company", args=[application.pk])
    assert "<script>alert(1)</script>" not in editor_client.get(url).content.decode()
    response = editor_client.post(url, {"decision": "merge", "fields": ["siret", "is_superuser"]})
    assert response.status_code == 400 and "Champ inconnu" in response.content.decode()
    stored.refresh_from_db()
    assert stored.name == "Textiles de l'Ouest"
    with pytest.raises(RegistrationError):
        application_review.review(application, fields=["pk"], actor=None)
    assert editor_client.get(reverse("registrations_admin:review_company", args=[999999])).status_code == 404


def test_approved_contact_applies_at_once_with_a_prefilled_form(client, meeting, stored):
    contact = SupplierContactFactory(supplier=stored, email="yann@textiles-ouest.fr")
    SupplierClaim.objects.create(user=contact, supplier=stored, email=contact.email, status=ClaimStatus.APPROVED)
    client.force_login(contact)
    url = reverse("registrations:apply", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert stored.siret in page and "https://textiles-ouest.fr" in page
    data = form_data(stored.siret, email=contact.email, website=stored.website, company_name=stored.name)
    assert client.post(url, data).status_code == 302
    application = Registration.objects.get()
    assert application.status == S.APPLIED and application.supplier == stored and application.user == contact


def test_contact_without_an_approved_claim_still_confirms_by_e_mail(client, meeting, stored):
    contact = SupplierContactFactory(supplier=stored)
    client.force_login(contact)
    client.post(reverse("registrations:apply", args=[meeting.pk]), form_data(stored.siret, email=contact.email))
    application = Registration.objects.get()
    assert application.status == S.PENDING_CONFIRMATION and application.supplier is None
