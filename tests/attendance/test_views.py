import io

from django.core import mail
from django.urls import reverse

import pytest
import time_machine
from pypdf import PdfReader

from attendance import services
from registrations.models import Attendance, Registration
from tests.factories import EditorFactory, MemberFactory
from tests.factories.attendance import paris
from tests.utils import assert_sent_to_admin_login

pytestmark = pytest.mark.django_db


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def sheet_url(training, part=None):
    url = reverse("attendance_admin:occurrence", args=[training["occurrence"].pk])
    return url + (f"?part={part.pk}" if part else "")


def test_sheet_lists_confirmed_people_only(editor_client, training):
    response = editor_client.get(sheet_url(training, training["parts"][0]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sophie" in html and "Yann" in html
    assert "Wanda" not in html  # waitlisted


def test_saving_the_sheet_records_statuses_and_notes(editor_client, training):
    part = training["parts"][0]
    sophie, yann = training["sophie"], training["yann"]
    response = editor_client.post(
        sheet_url(training, part),
        {
            "part": part.pk,
            "action": "save",
            f"status-{sophie.pk}": "present",
            f"status-{yann.pk}": "late",
            f"note-{yann.pk}": "train en retard",
        },
    )
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("registration__email", "status")) == {
        "sophie@nantes.fr": "present",
        "yann@rennes.fr": "late",
    }
    sheet = editor_client.get(sheet_url(training, part)).content.decode()
    assert reverse("attendance:certificate", args=[sophie.pk]) in sheet  # for people without an account
    assert Attendance.objects.get(registration=yann).note == "train en retard"


def test_bulk_all_present(editor_client, training):
    part = training["parts"][3]
    response = editor_client.post(sheet_url(training, part), {"part": part.pk, "action": "all_present"})
    assert response.status_code == 302
    assert Attendance.objects.filter(part=part, status="present").count() == 2


def test_attendance_for_someone_not_registered_is_a_400(editor_client, training):
    part = training["parts"][0]
    response = editor_client.post(
        sheet_url(training, part),
        {"part": part.pk, f"status-{training['sophie'].pk}": "present", f"status-{training['waiting'].pk}": "present"},
    )
    assert response.status_code == 400
    assert "n&#x27;est pas inscrite" in response.content.decode()
    assert not Attendance.objects.exists()  # nothing half-saved


def test_attendance_for_a_part_of_another_occurrence_is_a_400(editor_client, training):
    other_part = training["other_parts"][0]
    response = editor_client.post(
        sheet_url(training), {"part": other_part.pk, f"status-{training['sophie'].pk}": "present"}
    )
    assert response.status_code == 400
    assert "n&#x27;appartient pas à cette date" in response.content.decode()
    assert not Attendance.objects.exists()
    assert editor_client.get(sheet_url(training) + "?part=abc").status_code == 400


def test_bad_status_value_is_a_400(editor_client, training):
    part = training["parts"][0]
    response = editor_client.post(sheet_url(training, part), {"part": part.pk, f"status-{training['sophie'].pk}": "x"})
    assert response.status_code == 400


@time_machine.travel(paris(2025, 5, 20, 10), tick=False)
def test_walk_in_form_adds_a_present_person(editor_client, training):
    part = training["parts"][0]
    response = editor_client.post(
        sheet_url(training, part),
        {
            "part": part.pk,
            "action": "walk_in",
            "walkin-first_name": "Nina",
            "walkin-last_name": "Surplace",
            "walkin-email": "nina@exemple.fr",
            "walkin-organisation_name": "Ville de Laval",
        },
    )
    assert response.status_code == 302
    nina = Registration.objects.get(email="nina@exemple.fr")
    assert nina.source == "walk_in" and nina.attendances.get().status == "present"
    again = editor_client.post(
        sheet_url(training, part),
        {
            "part": part.pk,
            "action": "walk_in",
            "walkin-first_name": "Nina",
            "walkin-last_name": "Surplace",
            "walkin-email": "NINA@exemple.fr",
        },
    )
    assert again.status_code == 400  # already registered: a field error, not a 500


def test_attendance_pages_need_an_editor(client, training):
    client.force_login(training["member"])
    response = client.get(sheet_url(training))
    assert_sent_to_admin_login(response, sheet_url(training))


@time_machine.travel(paris(2025, 5, 20, 9, 10), tick=False)
def test_check_in_page(editor_client, training):
    url = services.checkin_url(training["sophie"]).removeprefix("http://testserver")
    first = editor_client.get(url)
    assert first.status_code == 200
    assert first["Permissions-Policy"] == "camera=(self)"
    assert "Présence enregistrée" in first.content.decode() and "Sophie" in first.content.decode()
    second = editor_client.get(url)
    assert "Déjà pointé" in second.content.decode()
    assert Attendance.objects.count() == 1


def test_forged_check_in_is_a_400(editor_client, training):
    url = reverse("attendance_admin:checkin", args=["eyJyIjoxfQ:1u2v3w:faux"])
    response = editor_client.get(url)
    assert response.status_code == 400
    assert "falsifié" in response.content.decode()


def test_check_in_needs_an_editor_session(client, training):
    response = client.get(services.checkin_url(training["sophie"]).removeprefix("http://testserver"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Attendance.objects.exists()


def test_sign_in_sheet_pdf(editor_client, training):
    url = reverse("attendance_admin:signin_sheet", args=[training["occurrence"].pk, "2025-05-20"])
    text = pdf_text(editor_client.get(url))
    assert "Feuille d'émargement" in text
    assert "Achats alimentaires durables" in text
    assert "LE GOFF Sophie" in text and "Ville de Nantes" in text and "KEROUAC Yann" in text
    assert "Matin" in text and "Après-midi" in text
    assert "Wanda" not in text
    missing = reverse("attendance_admin:signin_sheet", args=[training["occurrence"].pk, "2025-05-22"])
    assert editor_client.get(missing).status_code == 404
    assert editor_client.get(missing.replace("2025-05-22", "n-importe")).status_code == 404


def test_certificate_for_the_person_themself(client, training, editor):
    for part in training["parts"][:3]:
        services.record_attendance(training["sophie"], part, status="present", actor=editor)
    client.force_login(training["member"])
    account = client.get(reverse("members:account"))
    url = reverse("attendance:certificate", args=[training["sophie"].pk])
    assert "Mes attestations" in account.content.decode() and url in account.content.decode()
    text = pdf_text(client.get(url))
    assert "Attestation de formation" in text
    assert "Sophie LE GOFF" in text and "Ville de Nantes" in text
    assert "10,5 h sur 14 h" in text


def test_certificate_is_private(client, training, editor):
    services.record_attendance(training["sophie"], training["parts"][0], status="present", actor=editor)
    url = reverse("attendance:certificate", args=[training["sophie"].pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(MemberFactory())
    assert client.get(url).status_code == 403
    client.force_login(editor)
    assert client.get(url).status_code == 200


def test_no_certificate_before_attendance_is_recorded(client, training):
    client.force_login(training["member"])
    assert client.get(reverse("attendance:certificate", args=[training["sophie"].pk])).status_code == 404


def test_confirmation_email_carries_the_qr_code(training):
    from registrations import emails

    emails.send(training["sophie"], "confirmed")
    emails.send(training["sophie"], "cancelled")
    confirmed, cancelled = mail.outbox
    names = [attachment[0] for attachment in confirmed.attachments]
    assert "code-qr-presence.png" in names
    assert "code QR" in confirmed.body
    assert "code-qr-presence.png" not in [a[0] for a in cancelled.attachments]


def test_the_html_part_carries_the_qr_check_in_text(training):
    from registrations import emails

    emails.send(training["sophie"], "confirmed")
    (message,) = mail.outbox
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    assert "présentez le code QR joint (code-qr-presence.png)" in html
    assert "présentez le code QR joint (code-qr-presence.png)" in message.body


def test_sign_in_sheet_of_a_training_names_its_trainers(editor_client, home_page):
    from registrations.models import Occurrence
    from tests.factories.attendance import RegistrationFactory
    from tests.factories.trainings import TrainingIndexPageFactory, training_with_runs

    training = training_with_runs(
        TrainingIndexPageFactory(parent=home_page),
        runs=((-10, 2),),
        title="Les clauses sociales",
        trainers=[("trainer", {"name": "Anne Lefèvre", "role": "juriste"}), ("trainer", {"name": "Marc Roux"})],
    )
    run = Occurrence.objects.get(page=training)
    assert run.kind == "training"
    RegistrationFactory(occurrence=run, first_name="Paul", last_name="Durand", organisation_name="Ville de Laval")
    day = run.parts.order_by("start").first().date
    text = pdf_text(editor_client.get(reverse("attendance_admin:signin_sheet", args=[run.pk, day.isoformat()])))
    assert "Les clauses sociales" in text
    assert "Anne Lefèvre, Marc Roux" in text
    assert "DURAND Paul" in text and "Ville de Laval" in text


def test_attendance_index_lists_occurrences_to_take(editor_client, training):
    response = editor_client.get(reverse("attendance_admin:index"))
    assert response.status_code == 200
    assert reverse("attendance_admin:occurrence", args=[training["occurrence"].pk]) in response.content.decode()
    assert editor_client.get(reverse("attendance_admin:index") + "?q=zzz").context["occurrences"].paginator.count == 0


def test_sheet_query_count_does_not_grow_with_people(editor_client, training):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.attendance import RegistrationFactory

    part = training["parts"][0]
    url = sheet_url(training, part)
    editor_client.get(url)  # warm caches (site, permissions)
    with CaptureQueriesContext(connection) as few:
        assert editor_client.get(url).status_code == 200
    for n in range(40):
        registration = RegistrationFactory(occurrence=training["occurrence"], email=f"personne{n}@exemple.fr")
        services.record_attendance(registration, part, status="present", note="ok", actor=training["member"])
    with CaptureQueriesContext(connection) as many:
        response = editor_client.get(url)
    assert response.content.decode().count('type="radio"') == 4 * 42
    assert len(many) == len(few)


@pytest.mark.parametrize("day", ["2025-13-45", "2025-02-30", "aaaa-bb-cc", "0000-00-00"])
def test_impossible_sign_in_sheet_dates_are_a_404(editor_client, training, day):
    url = reverse("attendance_admin:signin_sheet", args=[training["occurrence"].pk, day])
    assert editor_client.get(url).status_code == 404


def test_out_of_range_ids_are_4xx(editor_client, training):
    huge = "9" * 25
    part = training["parts"][0]
    response = editor_client.post(sheet_url(training), {"part": huge, f"status-{training['sophie'].pk}": "present"})
    assert response.status_code == 400
    response = editor_client.post(sheet_url(training, part), {"part": part.pk, f"status-{huge}": "present"})
    assert response.status_code == 400
    assert editor_client.get(f"/admin/presences/{huge}/").status_code == 404
    assert editor_client.get(f"/presence/attestation/{huge}/").status_code == 404
    assert not Attendance.objects.exists()


def test_page_menu_links_to_its_attendance(editor_client, training, home_page):
    from wagtail.admin.ui.menus.pages import get_page_header_buttons

    labels = [str(b.label) for b in get_page_header_buttons(training["page"], training["member"], "/", "edit")]
    assert "Présences" not in labels  # not for members
    editor = EditorFactory()
    buttons = {str(b.label): b.url for b in get_page_header_buttons(training["page"], editor, "/", "edit")}
    assert buttons["Présences"] == reverse("attendance_admin:index") + f"?page={training['page'].pk}"
    assert "Présences" not in [str(b.label) for b in get_page_header_buttons(home_page, editor, "/", "edit")]
    listed = editor_client.get(buttons["Présences"]).context["occurrences"]
    assert {o.pk for o in listed} == {training["occurrence"].pk, training["other"].pk}


def post_walk_in(client, training, part, **fields):
    data = {"part": part.pk, "action": "walk_in", **{f"walkin-{k}": v for k, v in fields.items()}}
    return client.post(sheet_url(training, part), data)


@time_machine.travel(paris(2025, 6, 2, 10), tick=False)
def test_walk_ins_are_typed_in_from_the_paper_sheet_after_the_date(editor_client, training):
    """The date ended two weeks ago: the paper sheet's walk-ins are added and marked present."""
    from members.models import Organisation

    part = training["parts"][2]
    page = editor_client.get(sheet_url(training, part)).content.decode()
    assert "Cette date est terminée" in page
    nantes = Organisation.objects.get(name="Ville de Nantes")
    person = {"first_name": "Nina", "last_name": "Surplace"}
    response = post_walk_in(editor_client, training, part, **person, email="nina@exemple.fr", organisation=nantes.pk)
    assert response.status_code == 302
    nina = Registration.objects.get(email="nina@exemple.fr")
    assert (nina.source, nina.status, nina.organisation) == ("walk_in", "confirmed", nantes)
    assert nina.attendances.get().part == part
    typed = post_walk_in(
        editor_client, training, part, **person, email="lea@exemple.fr", organisation_name="ville de nantes"
    )
    assert typed.status_code == 400 and "choisissez-la dans la liste" in typed.content.decode()
