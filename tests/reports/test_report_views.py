"""The admin page, its exports (CSV, XLSX, PDF), the drill-down lists and the command all give
the figures computed by hand in test_figures.py."""

import csv
import datetime
import io
import json
from urllib.parse import urlencode

from django.core.management import CommandError, call_command
from django.urls import reverse

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import MemberFactory
from tests.utils import assert_sent_to_admin_login

pytestmark = pytest.mark.django_db
YEAR = {"from": "2025-01-01", "to": "2025-12-31"}


@pytest.fixture
def editor_client(client, known_year):
    client.force_login(known_year["editor"])
    return client


def test_report_page(editor_client):
    response = editor_client.get(reverse("reports_report"), YEAR)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Taux de présence" in html and "66,7\xa0%" in html
    assert "<svg" in html and 'role="img"' in html
    assert (
        reverse("reports_drilldown", args=["registrations"]) + "?from=2025-01-01&amp;to=2025-12-31&amp;which=present"
        in html
    )
    figures = {f.key: f.value for s in response.context["sections"] for f in s["figures"]}
    assert figures["registrations"] == 6


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2025-12-31", "to": "2025-01-01"}, "précède"),
        ({"from": "2025-01-01", "to": ""}, "sans borne"),
        ({"from": "2025-01-01"}, "sans borne"),
        ({"from": "1er janvier", "to": "2025-12-31"}, "pas une date valide"),
        ({"from": "1990-01-01", "to": "2025-12-31"}, "10 ans"),
    ],
)
def test_bad_ranges_are_a_400_in_french(editor_client, params, message):
    response = editor_client.get(reverse("reports_report"), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    export = editor_client.get(reverse("reports_export", args=["csv"]), params)
    assert export.status_code == 400 and message in export.content.decode()
    assert editor_client.get(reverse("reports_drilldown", args=["time"]), params).status_code == 400


@pytest.mark.parametrize(
    ("name", "params", "count"),
    [
        ("occurrences", {}, 6),
        ("occurrences", {"working_groups": "1"}, 3),
        ("resources", {}, 3),
        ("resources", {"type": "guide"}, 2),
        ("questions", {}, 2),
        ("occurrences", {"kind": "training"}, 1),
        ("registrations", {}, 6),
        ("registrations", {"which": "present"}, 4),
        ("registrations", {"which": "no_show"}, 2),
        ("registrations", {"region": "pdl"}, 3),
        ("registrations", {"region": "none"}, 1),
        ("training_attendance", {}, 7),
        ("organisations", {"reached": "1"}, 2),
        ("organisations", {}, 3),
        ("working_groups", {}, 2),
        ("applications", {}, 3),
        ("applications", {"which": "selected"}, 1),
        ("time", {}, 3),
        ("time", {"activity": "helpdesk"}, 1),
    ],
)
def test_every_figure_lists_its_rows(editor_client, name, params, count):
    response = editor_client.get(reverse("reports_drilldown", args=[name]), {**YEAR, **params})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == count


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("registrations", {"which": "tous"}),
        ("registrations", {"region": "mars"}),
        ("occurrences", {"working_group": "x"}),
    ],
)
def test_bad_drilldown_filters_are_a_400(editor_client, name, params):
    assert editor_client.get(reverse("reports_drilldown", args=[name]), {**YEAR, **params}).status_code == 400


def test_unknown_drilldown_or_format_is_a_404(editor_client):
    assert editor_client.get(reverse("reports_drilldown", args=["secrets"]), YEAR).status_code == 404
    assert editor_client.get(reverse("reports_export", args=["docx"]), YEAR).status_code == 404


def test_report_is_for_staff_only(client, known_year):
    client.force_login(MemberFactory())
    response = client.get(reverse("reports_report"), YEAR)
    assert_sent_to_admin_login(response, reverse("reports_report") + "?" + urlencode(YEAR))


def test_csv_export(editor_client):
    response = editor_client.get(reverse("reports_export", args=["csv"]), YEAR)
    assert response.content.startswith("\ufeff".encode())  # French Excel reads UTF-8 with a BOM only
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Rapport d'activité"
    by_label = {row[1]: row[4] for row in rows[2:] if row[2] == ""}
    assert by_label["Inscriptions confirmées"] == "6"
    assert by_label["Taux de présence"] == "66,7"  # the French decimal comma
    assert by_label["Heures-stagiaires de formation dispensées"] == "24,50"
    assert [
        "Temps de l'équipe",
        "Temps de l'équipe par activité",
        "Animation du réseau",
        "Part",
        "40,0",
        "",
        "%",
    ] in rows


def test_xlsx_export(editor_client):
    response = editor_client.get(reverse("reports_export", args=["xlsx"]), YEAR)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {row[1]: row[4] for row in sheet.iter_rows(min_row=4, values_only=True) if not row[2]}
    assert values["Inscriptions confirmées"] == 6
    assert values["Participants distincts"] == 3
    assert values["Part des organisations membres touchées"] == pytest.approx(66.7)
    assert values["Temps de l'équipe"] == pytest.approx(10)


def test_pdf_export(editor_client):
    response = editor_client.get(reverse("reports_export", args=["pdf"]), YEAR)
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "Rapport d'activité" in text
    assert "Taux de présence 66,7 % 100 % −33,3" in text
    assert "Heures-stagiaires de formation dispensées 24,5 h" in text
    assert "Inscriptions confirmées 6 1 +5" in text
    assert "Participants distincts 3" in text


def test_command_json_gives_the_same_figures(known_year, capsys):
    call_command("activity_report", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["figures"]["registrations"]["value"] == 6
    assert data["figures"]["attendance_rate"]["value"] == "66.7"
    assert data["figures"]["held_total"]["previous"] == 1
    assert {r["key"]: r["values"]["hours"] for r in data["breakdowns"]["time_by_activity"]["rows"]} == {
        "coordination": "4.00",
        "helpdesk": "3.50",
        "communication": "2.50",
    }


def test_command_csv_and_pdf(known_year, tmp_path, capsys):
    call_command("activity_report", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "csv")
    assert "Inscriptions confirmées;;;6;1;" in capsys.readouterr().out
    target = tmp_path / "rapport.pdf"
    call_command(
        "activity_report", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "pdf", "--output", str(target)
    )
    assert target.read_bytes().startswith(b"%PDF")


def test_command_refuses_reversed_ranges(db):
    with pytest.raises(CommandError, match="précède"):
        call_command("activity_report", "--from", "2025-12-31", "--to", "2025-01-01")


def test_out_of_range_filters_and_pages_are_not_500(editor_client):
    huge = "9" * 25
    url = reverse("reports_drilldown", args=["occurrences"])
    assert editor_client.get(url, {**YEAR, "working_group": huge}).status_code == 200
    assert editor_client.get(url, {**YEAR, "p": "abc"}).status_code == 200
    assert editor_client.get(url, {**YEAR, "kind": "x" * 500}).status_code == 200
    assert editor_client.get(reverse("reports_report"), {"from": "2025-02-30", "to": "2025-12-31"}).status_code == 400


def test_dates_to_come_are_listed_as_planned_not_held(editor_client, known_year):
    from django.utils import timezone

    from tests.factories.attendance import OccurrenceFactory

    start = timezone.now() + datetime.timedelta(days=10)
    OccurrenceFactory(page=known_year["page"], start=start)
    period = {"from": f"{start.year - 1}-01-01", "to": f"{start.year + 1}-12-31"}
    response = editor_client.get(reverse("reports_report"), period)
    figures = {f.key: f.value for s in response.context["sections"] for f in s["figures"]}
    assert figures["planned_total"] == 1
    planned = editor_client.get(reverse("reports_drilldown", args=["occurrences"]), {**period, "planned": "1"})
    assert planned.context["page"].paginator.count == 1
    held = editor_client.get(reverse("reports_drilldown", args=["occurrences"]), period)
    assert start.date() not in {o.start.date() for o in held.context["page"].object_list}
