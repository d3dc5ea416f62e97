"""The activity report as CSV and XLSX: one row per figure and per breakdown cell."""

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _

from openpyxl import Workbook
from openpyxl.styles import Font

from registrations.exports import safe_cell

HEADERS = ["section", "indicateur", "détail", "mesure", "valeur", "période précédente", "unité"]
NUMBER_COLUMNS = {4, 5}


def flat_rows(report):
    """(section, indicator, detail, measure, value, previous, unit) for every number of the report."""
    for figure in report.figures.values():
        yield (
            str(report.sections.get(figure.section, figure.section)),
            figure.label,
            "",
            "",
            figure.value if figure.available else _("non disponible"),
            figure.previous,
            figure.unit,
        )
    for breakdown in report.breakdowns.values():
        for row in breakdown.rows:
            for column in breakdown.columns:
                yield (
                    str(report.sections.get(breakdown.section, breakdown.section)),
                    breakdown.title,
                    row.label,
                    column.label,
                    row.values.get(column.key),
                    row.previous.get(column.key),
                    column.unit,
                )


def _plain(value):
    """A cell as French Excel reads it: decimal comma (« 68,1 »), nothing for None."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return value


def to_csv(report):
    """French Excel's CSV: UTF-8 with a byte-order mark (else accents come out garbled), « ; »
    between cells, decimal commas; text cells never read as formulas."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_("Rapport d'activité"), str(report.period)])
    writer.writerow(HEADERS)
    for row in flat_rows(report):
        # text columns neutralised (page titles, organisations); numbers stay numbers
        writer.writerow([safe_cell(_plain(v)) if i not in NUMBER_COLUMNS else _plain(v) for i, v in enumerate(row)])
    return buffer.getvalue()


def to_xlsx(report):

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Rapport")
    sheet.append([_("Rapport d'activité RESECO"), str(report.period)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in flat_rows(report):
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            if cell.data_type == "f":  # a title starting with "=" is text, never a formula
                cell.data_type = "s"
    for column, width in zip("ABCDEFG", (28, 48, 32, 24, 14, 18, 8), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A4"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
