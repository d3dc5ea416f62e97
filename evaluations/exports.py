"""The results as an XLSX workbook: a summary sheet (one row per question and answer) and the
comments. Text cells never read as formulas."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from openpyxl import Workbook
from openpyxl.styles import Font


def _append(sheet, row):
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":  # a participant's text starting with "=" stays text
            cell.data_type = "s"


def to_xlsx(title, results):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Synthèse")
    _append(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=14)
    _append(sheet, [_("Personnes présentes"), results.invited])
    _append(sheet, [_("Réponses"), results.responses])
    _append(sheet, [_("Taux de réponse (%)"), float(results.rate) if results.rate is not None else None])
    _append(sheet, [])
    _append(sheet, [_("Question"), _("Type"), _("Réponse"), _("Nombre"), _("Part (%)"), _("Moyenne sur 5")])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for question in results.questions:
        if question.type == "text":
            _append(sheet, [question.label, _("réponse libre"), _("commentaires"), question.count, None, None])
            continue
        average = float(question.average) if question.average is not None else None
        _append(sheet, [question.label, question.type, "", question.count, None, average])
        for label, count, pct in question.distribution:
            _append(sheet, ["", "", str(label), count, float(pct) if pct is not None else None, None])
    for column, width in zip("ABCDEF", (48, 14, 28, 10, 10, 14), strict=True):
        sheet.column_dimensions[column].width = width

    comments = workbook.create_sheet(_("Commentaires"))
    _append(comments, [_("Question"), _("Date"), _("Auteur"), _("Commentaire")])
    for cell in comments[1]:
        cell.font = Font(bold=True)
    for question in results.questions:
        for author, text, date in question.comments:
            _append(
                comments, [question.label, timezone.localtime(date).replace(tzinfo=None), author or _("anonyme"), text]
            )
    for column, width in zip("ABCD", (40, 18, 24, 80), strict=True):
        comments.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
