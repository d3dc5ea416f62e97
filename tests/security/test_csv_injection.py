"""Spreadsheet formulas (CSV injection): every CSV the site produces, Wagtail's list exports
included, writes a text cell starting with =, +, -, @, a tab or a carriage return as text."""

import csv
import io
from types import SimpleNamespace

import pytest

from registrations.exports import safe_cell
from reports.exports import to_csv
from tests.factories import EditorFactory, OrganisationFactory, SupplierFactory

pytestmark = pytest.mark.django_db
FORMULAS = ['=HYPERLINK("http://x.example")', "+33 6 12", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def read_csv(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=","))


def test_safe_cell():
    assert [safe_cell(v) for v in FORMULAS] == ["'" + v for v in FORMULAS]
    assert safe_cell("Ville de Nantes") == "Ville de Nantes" and safe_cell(-3) == -3 and safe_cell(None) is None


@pytest.mark.parametrize("url", ["/admin/reseau/organisations/", "/admin/reseau/fournisseurs/"])
def test_wagtail_list_exports_neutralise_formulas(client, url):
    for name in FORMULAS:
        OrganisationFactory(name=name)
        SupplierFactory(name=name)
    client.force_login(EditorFactory())
    response = client.get(url, {"export": "csv"})
    assert response.status_code == 200
    names = {row[0] for row in read_csv(response)[1:]}
    assert names >= {"'" + v for v in FORMULAS}
    assert not any(name.startswith(("=", "+", "-", "@", "\t", "\r")) for name in names)


def test_activity_report_csv_neutralises_text_but_keeps_numbers():
    figure = SimpleNamespace(section="s", label="=1+1", available=True, value=-3, previous=None, unit="")
    column = SimpleNamespace(key="k", label="@col", unit="h")
    row = SimpleNamespace(label="+Ville", values={"k": 4}, previous={})
    report = SimpleNamespace(
        period="2025",
        sections={"s": "-Section"},
        figures={"f": figure},
        breakdowns={"b": SimpleNamespace(section="s", title="=titre", rows=[row], columns=[column])},
    )
    rows = list(csv.reader(io.StringIO(to_csv(report)), delimiter=";"))[2:]
    assert rows[0][:2] == ["'-Section", "'=1+1"] and rows[0][4] == "-3"
    assert rows[1][:4] == ["'-Section", "'=titre", "'+Ville", "'@col"]
