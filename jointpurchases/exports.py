"""The coordinator's table as XLSX or CSV: one row per body, one column per lot, totals last.
Text cells never read as formulas (registrations.exports.safe_cell); numbers stay numbers in
the XLSX and carry a decimal comma in the CSV (French Excel)."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from openpyxl import Workbook
from openpyxl.styles import Font

from registrations.exports import safe_cell


def _lot_label(lot):
    if lot.name is None:
        return _("Lot retiré")
    return f"{lot.name} ({lot.get_unit_display()})"


def table_rows(table):
    """Header, one row per body, the totals row: cells as Python values (Decimals for quantities)."""
    yield [_("Collectivité"), _("SIREN"), _("Avancement"), _("Contact"), _("Adresse"), _("Téléphone")] + [
        _lot_label(lot) for lot in table.lots
    ]
    for row in table.rows:
        p = row.participation
        yield [
            p.organisation.name,
            p.organisation.siren,
            p.get_status_display(),
            p.contact_name,
            p.contact_email,
            p.contact_phone,
            *row.quantities,
        ]
    yield [_("Total (hors retirées)"), "", "", "", "", ""] + [total for total, _bodies in table.totals]


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(value)
    return format(value, "f").replace(".", ",")


def filename(purchase, extension):
    return f"groupement-{slugify(purchase.title)[:60]}-{timezone.localdate():%Y-%m-%d}.{extension}"


def export(purchase, table, fmt):
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Besoins")[:31]
        for index, row in enumerate(table_rows(table)):
            sheet.append([safe_cell(str(cell)) if isinstance(cell, str) else cell for cell in row])
            if index == 0:
                for cell in sheet[1]:
                    cell.font = Font(bold=True)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # French Excel reads UTF-8 with a byte-order mark
        writer = csv.writer(response, delimiter=";")
        for row in table_rows(table):
            writer.writerow([_csv_value(cell) for cell in row])
    response["Content-Disposition"] = f'attachment; filename="{filename(purchase, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response
