"""Invitations one by one or from a CSV file: preview, errors per line, no duplicates, links
that expire; bad files answer in French, never a 500."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
import time_machine

from accounts import csv_import
from accounts.models import Invitation
from members.models import User
from tests.factories import EditorFactory, MemberFactory

from .conftest import link_in

pytestmark = pytest.mark.django_db
URL = "/admin/reseau/demandes-de-compte/"
PASSWORD = {"new_password1": "un-mot-de-passe-solide-42", "new_password2": "un-mot-de-passe-solide-42"}


@pytest.fixture
def editor_client(client):
    client.force_login(EditorFactory())
    return client


def upload(client, content, name="personnes.csv"):
    return client.post(URL + "importer/", {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def test_invitation_sets_the_password_and_logs_in(editor_client, sent, nantes):
    with sent() as block:
        response = editor_client.post(
            URL + "inviter/",
            {"first_name": "Léa", "last_name": "B", "email": "Lea@Nantes.fr", "organisation": nantes.pk},
        )
    assert response.status_code == 302
    user = User.objects.get(email="lea@nantes.fr")
    assert user.organisation == nantes and not user.has_usable_password()
    link = link_in(block.messages[0])
    assert "14 jours" in block.messages[0].body
    editor_client.logout()
    assert editor_client.get(link).status_code == 200
    assert editor_client.post(link, PASSWORD).status_code == 302
    assert editor_client.session["_auth_user_id"] == str(user.pk)
    assert Invitation.objects.get(user=user).accepted_at is not None
    editor_client.logout()
    assert editor_client.get(link).status_code == 400  # one use only


def test_inviting_an_existing_address_is_refused_on_the_field(editor_client, colleague):
    response = editor_client.post(URL + "inviter/", {"first_name": "A", "last_name": "B", "email": "AGENT@nantes.fr"})
    assert response.status_code == 400 and "existe déjà" in response.content.decode()
    assert User.objects.filter(email__iexact="agent@nantes.fr").count() == 1


def test_invitation_link_expires_after_14_days(editor_client, sent):
    with sent() as block:
        editor_client.post(URL + "inviter/", {"first_name": "A", "last_name": "B", "email": "a@exemple.fr"})
    link = link_in(block.messages[0])
    editor_client.logout()
    with time_machine.travel(datetime.datetime.now() + datetime.timedelta(days=13)):
        assert editor_client.get(link).status_code == 200
    with time_machine.travel(datetime.datetime.now() + datetime.timedelta(days=15)):
        response = editor_client.post(link, PASSWORD)
    assert response.status_code == 400 and "expiré" in response.content.decode()
    assert not User.objects.get(email="a@exemple.fr").has_usable_password()


@pytest.mark.parametrize("suffix", ["", "x", "Mg/forged-token", "-"])
def test_forged_set_password_links_are_a_french_400(client, suffix):
    user = MemberFactory()
    response = client.get(f"/compte/bienvenue/{suffix or 'MQ'}/abc-{suffix}/")
    assert response.status_code in (400, 404)
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.check_password("motdepasse-test")


def test_csv_preview_then_confirm_invites_the_valid_lines_only(editor_client, sent, nantes, colleague):
    content = (
        "email;prenom;nom;organisation\n"
        f"lea@nantes.fr;Léa;Bernard;{nantes.siren}\n"
        "agent@nantes.fr;Déjà;Là;\n"
        "LEA@nantes.fr;Léa;Encore;\n"
        "pas-une-adresse;A;B;\n"
        '=HYPERLINK("http://x");A;B;\n'
        "paul@exemple.fr;Paul;-2+3;\n"
        "zoe@exemple.fr;Zoé;Durand;Inconnue SA\n"
        "max@exemple.fr;Max;Morel;ville de nantes\n"
    ).encode("utf-8-sig")
    response = upload(editor_client, content)
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 lignes valides, 6 lignes en erreur" in html
    for message in (
        "Un compte existe déjà",
        "déjà présente plus haut",
        "Adresse électronique invalide",
        "formule",
        "Organisation inconnue",
    ):
        assert message in html
    assert not User.objects.filter(email="lea@nantes.fr").exists()  # nothing before confirming
    payload = response.context["payload"]
    with sent() as block:
        editor_client.post(URL + "importer/", {"confirm": "1", "payload": payload})
    assert sorted(m.to[0] for m in block.messages) == ["lea@nantes.fr", "max@exemple.fr"]
    assert User.objects.get(email="max@exemple.fr").organisation == nantes
    editor_client.post(URL + "importer/", {"confirm": "1", "payload": payload})  # replayed: no duplicate
    assert User.objects.filter(email="lea@nantes.fr").count() == 1


def test_csv_in_windows_encoding_with_commas_is_read(editor_client):
    response = upload(editor_client, "e-mail,Prénom,Nom\nzoe@exemple.fr,Zoé,Lefèvre\n".encode("cp1252"))
    assert response.status_code == 200
    assert response.context["rows"][0].last_name == "Lefèvre"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x81\x8d\x8f\x90\x9d", "Encodage du fichier non reconnu"),
        (b"PK\x03\x04\x00\x00binary", "pas un fichier CSV"),
        (b"email;nom\na@b.fr;B\n", "Colonnes manquantes : prenom"),
        (b"", "Le fichier est vide"),
        (b"\n\n;;\n", "Le fichier est vide"),
        (b'email;prenom;nom\n"a@b.fr;A;B\n', None),  # an unclosed quote: read as one cell, lines in error
    ],
)
def test_bad_files_answer_in_french(editor_client, content, message):
    response = upload(editor_client, content)
    assert response.status_code in (200, 400)
    if message:
        assert response.status_code == 400 and message in response.content.decode()


def test_ten_thousand_lines_are_refused_with_a_clear_message(editor_client):
    content = "email;prenom;nom\n" + "".join(f"p{i}@exemple.fr;P;N\n" for i in range(10_000))
    response = upload(editor_client, content.encode())
    assert response.status_code == 400
    assert "Le fichier compte 10000 lignes : 2000 au plus par import, découpez-le." in response.content.decode()
    assert not User.objects.filter(email="p1@exemple.fr").exists()


def test_forged_import_payload_creates_nobody(editor_client):
    response = editor_client.post(URL + "importer/", {"confirm": "1", "payload": "forged"}, follow=True)
    assert "Aperçu expiré ou altéré" in response.content.decode()


def test_formula_cells_are_refused_line_by_line():
    rows = csv_import.parse(b"email;prenom;nom\n@a.fr;A;B\nok@a.fr;+A;B\nbon@a.fr;Anne;Nom\n")
    assert [bool(r.errors) for r in rows] == [True, True, False]


def test_a_file_over_two_megabytes_is_refused_in_french(editor_client):
    response = upload(editor_client, b"email;prenom;nom\n" + b"x" * (2 * 1024 * 1024 + 1))
    assert response.status_code == 400 and "dépasse 2 Mo" in response.content.decode()


def test_inviting_again_someone_whose_link_expired_sends_a_fresh_link(editor_client, sent):
    data = {"first_name": "A", "last_name": "B", "email": "a@exemple.fr"}
    editor_client.post(URL + "inviter/", data)
    with time_machine.travel(datetime.datetime.now() + datetime.timedelta(days=20)):
        editor_client.force_login(EditorFactory())  # the first session has expired meanwhile
        with sent() as block:
            response = editor_client.post(URL + "inviter/", data)
        assert response["Location"] == URL + "inviter/"
        assert User.objects.filter(email="a@exemple.fr").count() == 1
        editor_client.logout()
        assert editor_client.post(link_in(block.messages[0]), PASSWORD).status_code == 302
