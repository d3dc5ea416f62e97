"""Grouped purchases: declaring needs, the deadline, the coordinator's table and exports,
reminders, messages, access, personal data, and bad input."""

import csv
import datetime
import io
import threading
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
import time_machine
from openpyxl import load_workbook

from jointpurchases import services
from jointpurchases.models import LotQuantity, Participation, ParticipationStatus
from jointpurchases.services import JointPurchaseError, declare, parse_quantity
from tests.factories import EditorFactory, MemberFactory, OrganisationFactory, SupplierContactFactory
from tests.factories.jointpurchases import add_participants, coordinator_referent, make_index, make_purchase

pytestmark = pytest.mark.django_db

BEFORE = datetime.date(2026, 3, 1)  # the call closes on 31 March 2026
AFTER = datetime.date(2026, 4, 2)


def lots(purchase):
    grains, ground = purchase.lots.order_by("sort_order")
    return grains, ground


def post_declaration(client, purchase, grains, ground="", **extra):
    keys = lots(purchase)
    data = {
        f"lot_{keys[0].key}": grains,
        f"lot_{keys[1].key}": ground,
        "contact_name": "Sophie Le Goff",
        "contact_email": "agent@nantes.fr",
        "contact_phone": "02 40 00 00 00",
        **extra,
    }
    return client.post(purchase.url + "declarer/", data)


# ------------------------------------------------------------------------------ quantities


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1 200,5", Decimal("1200.5")),
        ("1\u00a0200", Decimal("1200")),
        ("12\u202f345\u202f678,25", Decimal("12345678.25")),
        ("1200.5", Decimal("1200.5")),
        (" 42 ", Decimal("42")),
        ("0", Decimal("0")),
        ("", None),
    ],
)
def test_french_numbers_are_read(raw, expected):
    assert parse_quantity(raw) == expected


@pytest.mark.parametrize(
    "raw, message",
    [
        ("-5", "négative"),
        ("\u22125", "négative"),
        ("1,200.5", "n'est pas une quantité"),
        ("1 20", "n'est pas une quantité"),
        ("1e9", "n'est pas une quantité"),
        ("douze", "n'est pas une quantité"),
        ("0,001", "Deux décimales"),
        ("999 999 999 999", "trop grand"),
        ("=1+1", "n'est pas une quantité"),
    ],
)
def test_bad_quantities_are_refused_in_french(raw, message):
    with pytest.raises(JointPurchaseError) as error:
        parse_quantity(raw)
    assert error.value.code == "quantity"
    assert message in error.value.message


# ------------------------------------------------------------------------------ declaring


@time_machine.travel(BEFORE, tick=False)
def test_member_declares_then_changes_until_the_deadline(client, purchase, member):
    client.force_login(member)
    response = post_declaration(client, purchase, "1 200,5", "")
    assert response.status_code == 302
    participation = Participation.objects.get()
    assert participation.organisation == member.organisation
    assert participation.contact_user == member
    grains, _ground = lots(purchase)
    assert list(participation.quantities.values_list("lot_key", "quantity")) == [(grains.key, Decimal("1200.50"))]

    response = post_declaration(client, purchase, "900", "30")
    assert response.status_code == 302
    assert Participation.objects.count() == 1
    assert sorted(participation.quantities.values_list("quantity", flat=True)) == [Decimal("30"), Decimal("900")]
    page = client.get(purchase.url)
    assert "1\u202f200" not in page.content.decode() and "900" in page.content.decode()


@time_machine.travel(BEFORE, tick=False)
def test_a_bad_quantity_answers_400_in_french_and_keeps_the_declaration(client, purchase, member):
    client.force_login(member)
    post_declaration(client, purchase, "100")
    for bad in ("-3", "1e12", "beaucoup", "99 999 999 999"):
        response = post_declaration(client, purchase, bad, "")
        assert response.status_code == 400
        assert "Le formulaire contient des erreurs" in response.content.decode()
    assert list(LotQuantity.objects.values_list("quantity", flat=True)) == [Decimal("100")]


@time_machine.travel(BEFORE, tick=False)
def test_nothing_declared_is_refused(client, purchase, member):
    client.force_login(member)
    response = post_declaration(client, purchase, "", "")
    assert response.status_code == 400
    assert "au moins un lot" in response.content.decode()
    assert not Participation.objects.exists()


@time_machine.travel(BEFORE, tick=False)
def test_a_member_cannot_declare_for_another_body(client, purchase, member):
    other = OrganisationFactory(name="Ville de Rennes")
    client.force_login(member)
    response = post_declaration(client, purchase, "10", organisation=str(other.pk))
    assert response.status_code == 403
    assert "votre propre collectivité" in response.content.decode()
    assert not Participation.objects.exists()
    with pytest.raises(JointPurchaseError) as error:
        declare(
            purchase,
            organisation=other,
            actor=member,
            quantities={lots(purchase)[0].key: Decimal(1)},
            contact_name="x",
            contact_email="x@exemple.fr",
        )
    assert error.value.code == "other_organisation"


def test_after_the_deadline_only_the_coordinator_changes_needs(client, purchase, member):
    with time_machine.travel(BEFORE, tick=False):
        client.force_login(member)
        post_declaration(client, purchase, "100")
    with time_machine.travel(AFTER, tick=False):
        client.force_login(member)  # sessions expire: sign in again a month later
        response = post_declaration(client, purchase, "500")
        assert response.status_code == 403
        assert "clos" in response.content.decode()
        assert "clos" in client.get(purchase.url).content.decode()  # no form any more
        coordinator = coordinator_referent(purchase)
        client.force_login(coordinator)
        response = post_declaration(client, purchase, "500", organisation=str(member.organisation_id))
        assert response.status_code == 302
    assert list(LotQuantity.objects.values_list("quantity", flat=True)) == [Decimal("500")]


def test_an_unknown_lot_is_refused(purchase, member):
    import uuid

    with pytest.raises(JointPurchaseError) as error:
        declare(
            purchase,
            organisation=member.organisation,
            actor=member,
            quantities={uuid.uuid4(): Decimal(1)},
            contact_name="x",
            contact_email="x@exemple.fr",
            today=BEFORE,
        )
    assert error.value.code == "unknown_lot"


def test_declarations_survive_a_revision_that_removes_their_lot(purchase, member):
    grains, ground = lots(purchase)
    declare(
        purchase,
        organisation=member.organisation,
        actor=member,
        quantities={grains.key: Decimal(5), ground.key: Decimal(7)},
        contact_name="x",
        contact_email="x@exemple.fr",
        today=BEFORE,
    )
    old_revision = purchase.latest_revision
    purchase.lots = [grains]  # the editor removes « Café moulu »
    purchase.save_revision().publish()
    assert LotQuantity.objects.count() == 2
    from jointpurchases.queries import coordinator_table

    table = coordinator_table(purchase)
    assert [lot.name for lot in table.lots] == ["Café en grains", None]  # « lot retiré » kept
    old_revision.publish()  # reverting brings the lot back under the same key
    purchase = type(purchase).objects.get(pk=purchase.pk)
    assert {lot.key for lot in purchase.lots.all()} == {grains.key, ground.key}
    assert [lot.name for lot in coordinator_table(purchase).lots] == ["Café en grains", "Café moulu"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_declarations_keep_one_participation(home_page):
    purchase = make_purchase(make_index(home_page))
    member = MemberFactory()
    grains, _ground = lots(purchase)
    barrier = threading.Barrier(6)
    outcomes = []

    def submit(quantity):
        try:
            barrier.wait()
            declare(
                purchase,
                organisation=member.organisation,
                actor=member,
                quantities={grains.key: Decimal(quantity)},
                contact_name="x",
                contact_email="x@exemple.fr",
                today=BEFORE,
            )
            outcomes.append("ok")
        except JointPurchaseError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n + 1,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Participation.objects.count() == 1
    assert LotQuantity.objects.count() == 1
    assert "ok" in outcomes and set(outcomes) <= {"ok", "conflict"}


@time_machine.travel(BEFORE, tick=False)
def test_a_double_submit_conflict_answers_409_in_french(client, purchase, member, monkeypatch):
    def conflicting(*args, **kwargs):
        raise JointPurchaseError("Une déclaration de votre collectivité vient d'être enregistrée", code="conflict")

    monkeypatch.setattr("jointpurchases.views.declare_service", conflicting)
    client.force_login(member)
    response = post_declaration(client, purchase, "10")
    assert response.status_code == 409
    assert "vient d&#x27;être enregistrée" in response.content.decode()


# ------------------------------------------------------------------------------ progress


@time_machine.travel(BEFORE, tick=False)
def test_signing_needs_a_real_pdf(client, purchase, member):
    client.force_login(member)
    post_declaration(client, purchase, "10")
    participation = Participation.objects.get()
    url = f"{purchase.url}avancement/{participation.pk}/"
    response = client.post(url, {"status": "signed"})
    assert response.status_code == 400 and "PDF" in response.content.decode()
    fake = SimpleUploadedFile("convention.pdf", b"MZ not a pdf", content_type="application/pdf")
    assert client.post(url, {"status": "signed", "signed_document": fake}).status_code == 400
    pdf = SimpleUploadedFile("convention.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    assert client.post(url, {"status": "signed", "signed_document": pdf}).status_code == 302
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.SIGNED and participation.signed_document
    download = client.get(f"{purchase.url}convention-signee/{participation.pk}/")
    assert download.status_code == 200
    client.force_login(MemberFactory())  # another body's agent
    assert client.get(f"{purchase.url}convention-signee/{participation.pk}/").status_code == 404
    assert client.post(url, {"status": "withdrawn"}).status_code == 403


# ------------------------------------------------------------------------------ access


def test_before_award_the_page_is_for_members(client, purchase):
    response = client.get(purchase.url)
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    client.force_login(SupplierContactFactory())
    response = client.get(purchase.url)
    assert response.status_code == 403
    assert "réservée aux agents des collectivités membres" in response.content.decode()


def test_members_only_until_awarded_through_wagtail_privacy(purchase):
    """Search, the site map and menus follow Wagtail's view restrictions: publishing keeps one on
    the page until it is awarded."""
    from wagtail.models import PageViewRestriction

    restrictions = PageViewRestriction.objects.filter(page=purchase)
    assert sorted(restrictions.get().groups.values_list("name", flat=True)) == ["Membres", "Éditeurs"]
    purchase.save_revision().publish()
    assert restrictions.count() == 1
    purchase.awarded = True
    purchase.save_revision().publish()
    assert not restrictions.exists()


def test_once_awarded_the_page_is_public_and_cookie_free(client, home_page):
    index = make_index(home_page)
    page = make_purchase(
        index, awarded=True, outcome="<p>1,2 million de repas</p>", criteria="<p>Bio : 30 %</p>", slug="cantines"
    )
    add_participants(page, 5)
    response = client.get(page.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "1,2 million de repas" in body and "Bio : 30 %" in body and "<dd>5</dd>" in body
    assert not response.cookies and "csrfmiddlewaretoken" not in body
    listing = client.get(index.url).content.decode()
    assert page.title in listing


# ------------------------------------------------------------------------------ coordinator


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def test_coordinator_table_and_exports_cost_the_same_queries_for_10_and_1000_bodies(client, purchase):
    coordinator = coordinator_referent(purchase)
    client.force_login(coordinator)
    url = purchase.url + "coordination/"
    urls = (url, url + "export/csv/", url + "export/xlsx/")
    first_ten = add_participants(purchase, 10, quantity=Decimal("2.5"))
    client.get(url)  # warm caches (site root, etc.)
    small = [_queries(client, u) for u in urls]
    table = small[0][0].context["table"]
    assert [total for total, _bodies in table.totals] == [Decimal("25.00"), Decimal("25.00")]
    add_participants(purchase, 990, quantity=Decimal("1"))
    Participation.objects.filter(pk=first_ten[0].pk).update(status=ParticipationStatus.WITHDRAWN)
    large = [_queries(client, u) for u in urls]
    assert [n for _response, n in large] == [n for _response, n in small]
    assert len(large[0][0].context["table"].rows) == 1000
    totals = large[0][0].context["table"].totals
    assert totals[0][0] == Decimal("25.00") - Decimal("2.5") + 990 and totals[0][1] == 999
    csv_rows = large[1][0].content.decode("utf-8-sig").splitlines()
    assert len(csv_rows) == 1 + 1000 + 1  # header, bodies, totals
    sheet = load_workbook(io.BytesIO(large[2][0].content)).active
    assert sheet.max_row == 1002 and sheet.cell(1002, sheet.max_column).value == Decimal("1012.5")


def test_only_coordinators_and_staff_see_the_table(client, purchase, member):
    url = purchase.url + "coordination/"
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.get(url + "export/csv/").status_code == 403
    client.force_login(EditorFactory())
    assert client.get(url).status_code == 200
    assert client.get(url + "export/pdf/").status_code == 404


def test_exports_neutralise_formulas_and_keep_numbers(client, purchase):
    add_participants(purchase, 2, quantity=Decimal("1200.5"))
    Participation.objects.filter(pk=Participation.objects.first().pk).update(contact_name='=HYPERLINK("http://x")')
    client.force_login(coordinator_referent(purchase))
    response = client.get(purchase.url + "coordination/export/csv/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Collectivité", "SIREN", "Avancement"]
    assert any(cell == '\'=HYPERLINK("http://x")' for row in rows for cell in row)
    assert rows[-1][-2:] == ["2401,00", "2401,00"]
    response = client.get(purchase.url + "coordination/export/xlsx/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][-2:] == ["Café en grains (kg)", "Café moulu (kg)"]
    assert values[-1][-1] == 2401  # a number, not text
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_message_to_all_participants(client, purchase, mailoutbox, django_capture_on_commit_callbacks):
    participations = add_participants(purchase, 3)
    Participation.objects.filter(pk=participations[0].pk).update(status=ParticipationStatus.WITHDRAWN)
    client.force_login(coordinator_referent(purchase, email="coord@angers.fr"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            purchase.url + "coordination/", {"subject": "Réunion de lancement", "body": "Le 12 mai."}
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 2  # one each, the withdrawn body left out
    assert all(len(m.to) == 1 and m.reply_to == ["coord@angers.fr"] for m in mailoutbox)
    assert "Réunion de lancement" in mailoutbox[0].subject
    assert client.post(purchase.url + "coordination/", {"subject": "", "body": ""}).status_code == 400


# ------------------------------------------------------------------------------ reminders


# ------------------------------------------------------------------------------ « Mon compte », library


def test_open_calls_in_my_account_and_the_library(client, purchase, member, home_page):
    from resources.models import ResourceIndexPage

    home_page.add_child(instance=ResourceIndexPage(title="Ressources", slug="ressources"))
    client.force_login(member)
    with time_machine.travel(BEFORE, tick=False):
        account = client.get("/compte/").content.decode()
        assert "Groupements de commandes" in account and purchase.title in account
        assert purchase.title in client.get("/ressources/").content.decode()
    with time_machine.travel(AFTER, tick=False):
        assert purchase.title not in client.get("/ressources/").content.decode()


# ------------------------------------------------------------------------------ personal data


def test_export_and_erasure_of_a_contact_keep_the_declaration(purchase, member):
    from personaldata.services import erase_person, export_person

    declare(
        purchase,
        organisation=member.organisation,
        actor=member,
        quantities={lots(purchase)[0].key: Decimal(40)},
        contact_name="Sophie Le Goff",
        contact_email="agent@nantes.fr",
        today=BEFORE,
    )
    exported = export_person(member)
    assert exported["groupements_de_commandes"][0]["contact"] == "Sophie Le Goff"
    erase_person(member, actor=EditorFactory())
    participation = Participation.objects.get()
    assert (participation.contact_name, participation.contact_email, participation.contact_user) == ("", "", None)
    assert participation.organisation == member.organisation
    assert list(participation.quantities.values_list("quantity", flat=True)) == [Decimal("40")]


def test_contact_forgotten_by_address_for_guests(purchase):
    add_participants(purchase, 1)
    participation = Participation.objects.get()
    assert services.forget_contact(None, emails=[participation.contact_email.upper()]) == 1


@time_machine.travel(BEFORE, tick=False)
def test_the_coordinators_referent_declares_for_their_own_body_from_the_page(client, purchase):
    coordinator = coordinator_referent(purchase)
    client.force_login(coordinator)
    assert post_declaration(client, purchase, "75").status_code == 302
    assert Participation.objects.get().organisation == purchase.coordinator
    # on behalf of a body that is not a member: refused in French, nothing stored
    former = OrganisationFactory(member_until=datetime.date(2020, 1, 1))
    response = post_declaration(client, purchase, "5", organisation=str(former.pk))
    assert response.status_code == 400
    assert Participation.objects.count() == 1


def test_the_calendar_must_be_in_order(purchase):
    from django.core.exceptions import ValidationError

    purchase.convention_deadline = purchase.interest_deadline - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        purchase.clean()
    assert "convention_deadline" in error.value.message_dict
