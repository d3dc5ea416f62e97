import datetime

from django.contrib.sessions.models import Session
from django.db import models
from django.db.models import Q
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest
from axes.models import AccessAttempt, AccessLog

from base.periods import year_period
from events.models import CalendarToken
from helpdesk.models import Attachment, Message, Question
from members.models import SupplierClaim, User
from payments.models import CreditNote, Invoice
from personaldata.models import Erasure
from personaldata.services import PersonalDataError, erase_email, erase_person
from registrations.models import Attendance, Registration, RegistrationChange
from reports.figures import as_dict, compute
from tests.factories import SupplierFactory
from tests.factories.attendance import RegistrationFactory
from tests.reports.conftest import P, attend

from .conftest import EMAIL

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
AFFECTED = [
    User,
    Registration,
    RegistrationChange,
    Attendance,
    Question,
    Message,
    Attachment,
    ModelLogEntry,
    AccessAttempt,
    AccessLog,
    CalendarToken,
    SupplierClaim,
]
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField)


def rows_mentioning(*needles):
    """Every row of the affected tables with one of ``needles`` in any text column."""
    found = []
    for model in AFFECTED:
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        condition = Q()
        for needle in needles:
            for name in fields:
                condition |= Q(**{f"{name}__icontains": needle})
        found += [(model.__name__, pk) for pk in model.objects.filter(condition).values_list("pk", flat=True)]
    return found


def snapshot(model):
    return list(model.objects.order_by("pk").values())


def test_erasure_anonymises_everywhere_and_keeps_invoices(client, person, other, editor):
    user = person["user"]
    ModelLogEntry.objects.log_action(user, "wagtail.edit", user=editor)
    AccessLog.objects.create(username=EMAIL, ip_address="192.0.2.1", user_agent="test")
    AccessAttempt.objects.create(username=EMAIL, ip_address="192.0.2.1", user_agent="test", failures_since_start=2)
    SupplierClaim.objects.create(user=user, supplier=SupplierFactory(), email=EMAIL)
    client.force_login(user)
    assert Session.objects.count() == 1
    invoices, credit_notes = snapshot(Invoice), snapshot(CreditNote)
    assert rows_mentioning(EMAIL, "Dupont", "02 40 41 42 43")  # the search does find them

    erasure = erase_person(user, actor=editor)

    assert rows_mentioning(EMAIL, "Dupont", "02 40 41 42 43", "Acheteuse") == []
    user.refresh_from_db()
    assert user.email == f"efface-{erasure.pk}@anonyme.invalid"
    assert not user.is_active and not user.has_usable_password()
    assert user.groups.count() == 0
    registrations = Registration.objects.filter(pk__in=[person["confirmed"].pk, person["waitlisted"].pk])
    assert {r.email for r in registrations} == {user.email}  # one person, one address
    assert all(r.answers == {} for r in registrations)
    assert all(r.organisation_id == user.organisation_id for r in registrations)
    assert not CalendarToken.objects.filter(user=user).exists()
    assert Session.objects.count() == 0
    assert client.get(reverse("members:account")).status_code == 302
    # History keeps its links, without the person.
    assert ModelLogEntry.objects.filter(object_id=str(user.pk), user=editor).exists()
    assert Question.objects.get(pk=person["question"].pk).author_id == user.pk
    assert "Claude" not in Message.objects.filter(from_staff=True).get().body
    attachment = Attachment.objects.get()
    assert attachment.file.read() == b"x"  # the file is kept, under a name without the person's
    # The law's documents are untouched; the other member too.
    assert snapshot(Invoice) == invoices and snapshot(CreditNote) == credit_notes
    other.refresh_from_db()
    assert other.email == "autre@rennes.fr" and other.last_name == "Autre"
    assert Registration.objects.filter(email="autre@rennes.fr").count() == 1


def test_report_figures_are_identical_after_erasing_people(known_year):  # noqa: F811
    page = known_year["page"]
    bob = User.objects.create_user("bob@exemple.fr", first_name="Bob", last_name="Bernard")
    Registration.objects.filter(email="bob@exemple.fr").update(user=bob)
    dave = User.objects.create_user("DAVE@exemple.fr", first_name="Dave", last_name="Durand")
    Registration.objects.filter(email="dave@exemple.fr").update(user=dave)
    asker = Question.objects.first().author
    # Fred attended with his account under another address, which a guest row of his also uses:
    # both rows must get one pseudonym, or « participants distincts » would grow by one.
    fred = User.objects.create_user("frederic@exemple.fr", first_name="Frédéric", last_name="Faure")
    o1, o2 = known_year["occurrences"][:2]
    attend(RegistrationFactory(occurrence=o1, user=fred, email="fred.perso@exemple.fr"), [P])
    attend(RegistrationFactory(occurrence=o2, email="FRED.perso@exemple.fr"), [P, None, None, None])
    period = year_period(2025)
    before = as_dict(compute(period, now=NOW))
    previous_year = as_dict(compute(year_period(2024), now=NOW))
    unique_before = Registration.objects.values("email").distinct().count()

    erase_person(bob, actor=None)
    erase_person(dave, actor=None)
    erase_person(asker, actor=None)
    erase_person(fred, actor=None)
    erase_email("ALICE@exemple.fr", actor=None)  # a guest, registered as alice@… and ALICE@…
    erase_email("eve@exemple.fr", actor=None)
    erase_email("henri@exemple.fr", actor=None)

    assert as_dict(compute(period, now=NOW)) == before
    assert as_dict(compute(year_period(2024), now=NOW)) == previous_year
    assert (
        rows_mentioning("alice@exemple.fr", "bob@exemple.fr", "dave@exemple.fr", "eve@exemple.fr", "fred.perso") == []
    )
    # the figures did not stay equal by accident: the rows did change
    assert Registration.objects.filter(email__endswith="@anonyme.invalid").count() == 9
    assert Registration.objects.filter(occurrence__page=page, email__iexact="alice@exemple.fr").count() == 0
    assert unique_before == Registration.objects.values("email").distinct().count() + 2  # ALICE/alice, fred/FRED merged


def test_erasing_twice_is_refused(person, editor):
    erase_person(person["user"], actor=editor)
    with pytest.raises(PersonalDataError) as error:
        erase_person(person["user"], actor=editor)
    assert error.value.code == "already_erased"
    assert Erasure.objects.count() == 1


def test_staff_are_never_erased(editor):
    with pytest.raises(PersonalDataError) as error:
        erase_person(editor, actor=None)
    assert error.value.code == "staff"
    editor.refresh_from_db()
    assert editor.email == "editrice@reseco.fr"


@pytest.mark.parametrize("email", ["", "pas-une-adresse", "inconnu@exemple.fr", "efface-1@anonyme.invalid"])
def test_erase_email_refuses_bad_or_unknown_addresses(db, email):
    with pytest.raises(PersonalDataError) as error:
        erase_email(email, actor=None)
    assert error.value.field == "email"
    assert error.value.code in {"invalid", "not_found"}


# ------------------------------------------------------------------------------ self-service


def test_member_erases_their_own_data_after_confirming(client, person):
    user = person["user"]
    client.force_login(user)
    url = reverse("personaldata:erase")
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 400  # not confirmed
    assert User.objects.get(pk=user.pk).email == EMAIL
    response = client.post(url, {"confirm": "oui"})
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).email.endswith("@anonyme.invalid")
    assert client.get(reverse("members:account")).status_code == 302  # logged out
    assert client.put(url).status_code == 405  # only GET (the confirmation) and POST


def test_staff_cannot_erase_themself_from_the_site(client, editor):
    client.force_login(editor)
    response = client.post(reverse("personaldata:erase"), {"confirm": "oui"})
    assert response.status_code == 409
    assert "équipe" in response.content.decode()


# ------------------------------------------------------------------------------------ admin


def test_editor_exports_and_erases_from_the_admin(client, person, editor):
    user = person["user"]
    client.force_login(editor)
    edit = client.get(f"/admin/reseau/personnes/edit/{user.pk}/")
    assert edit.status_code == 200
    page_url = reverse("personaldata_admin:person", args=[user.pk])
    assert page_url in edit.content.decode()
    assert page_url in client.get("/admin/reseau/personnes/").content.decode()
    page = client.get(page_url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Exporter les données" in content and "Effacer la personne" in content
    export = client.get(reverse("personaldata_admin:export", args=[user.pk]))
    assert export.status_code == 200 and EMAIL in export.content.decode()

    erase_url = reverse("personaldata_admin:erase", args=[user.pk])
    assert client.get(erase_url).status_code == 405
    assert client.post(erase_url).status_code == 302  # not confirmed: nothing happens
    assert User.objects.get(pk=user.pk).email == EMAIL
    assert client.post(erase_url, {"confirm": "oui"}).status_code == 302
    assert User.objects.get(pk=user.pk).email.endswith("@anonyme.invalid")
    assert client.post(erase_url, {"confirm": "oui"}).status_code == 409  # twice
    assert client.get(reverse("personaldata_admin:export", args=[user.pk])).status_code == 404
    assert client.post(reverse("personaldata_admin:erase", args=[999999]), {"confirm": "oui"}).status_code == 404
    assert client.post(reverse("personaldata_admin:erase", args=[editor.pk]), {"confirm": "oui"}).status_code == 409


def test_editor_erases_a_guest_by_email(client, person, editor):
    RegistrationFactory(occurrence=person["confirmed"].occurrence, email="invitee@exemple.fr", last_name="Invitée")
    client.force_login(editor)
    url = reverse("personaldata_admin:email")
    assert client.get(url).status_code == 200
    assert client.post(url, {"email": "invitee@exemple.fr"}).status_code == 400  # no confirmation
    assert client.post(url, {"email": "inconnu@exemple.fr", "confirm": "on"}).status_code == 400
    assert client.post(url, {"email": "invitee@exemple.fr", "confirm": "on"}).status_code == 302
    assert rows_mentioning("invitee@exemple.fr", "Invitée") == []
    assert client.post(url, {"email": "invitee@exemple.fr", "confirm": "on"}).status_code == 400  # twice


def test_admin_views_need_change_user(client, person, other):
    user = person["user"]
    urls = [
        reverse("personaldata_admin:person", args=[user.pk]),
        reverse("personaldata_admin:export", args=[user.pk]),
        reverse("personaldata_admin:email"),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: admin login
    client.force_login(other)
    for url in urls:
        assert client.get(url).status_code == 302  # not staff: admin login
    assert client.post(reverse("personaldata_admin:erase", args=[user.pk]), {"confirm": "oui"}).status_code == 302
    assert User.objects.get(pk=user.pk).email == EMAIL
    staff = User.objects.create_user("stagiaire@reseco.fr", is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    for url in urls:  # Wagtail answers PermissionDenied with a redirect to the dashboard
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.post(reverse("personaldata_admin:erase", args=[user.pk]), {"confirm": "oui"}).status_code == 302
    assert User.objects.get(pk=user.pk).email == EMAIL


def test_erasure_redacts_stripe_event_payloads(person, editor):
    from payments.models import StripeEvent

    person = person["user"]
    event = StripeEvent.objects.create(
        event_id="evt_erasure_1",
        type="checkout.session.completed",
        payload={
            "data": {
                "object": {
                    "id": "cs_1",
                    "customer_details": {"email": person.email.upper(), "name": person.get_full_name()},
                }
            }
        },
    )
    other = StripeEvent.objects.create(
        event_id="evt_erasure_2", type="checkout.session.completed", payload={"data": {"object": {"id": "cs_2"}}}
    )
    original_email = person.email
    erase_person(person, actor=editor)
    event.refresh_from_db()
    text = str(event.payload).lower()
    assert original_email.lower() not in text
    assert event.payload["data"]["object"]["id"] == "cs_1"  # the event is still recognisable
    other.refresh_from_db()
    assert other.payload == {"data": {"object": {"id": "cs_2"}}}
