"""CSV and XLSX exports of an occurrence's registrations (the editors' lists)."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from openpyxl import Workbook

from .forms import question_label


def rows(registrations, answer_keys):
    header = ["Nom", "Prénom", "Adresse électronique", "Organisation", "Statut", "Origine", "Inscrit·e le"]
    header += [str(question_label(key)) for key in answer_keys]
    yield header
    for r in registrations:
        yield [
            r.last_name,
            r.first_name,
            r.email,
            r.organisation_name,
            r.get_status_display(),
            r.get_source_display(),
            timezone.localtime(r.created_at).strftime("%d/%m/%Y %H:%M"),
            *[str(r.answers.get(key, "")) for key in answer_keys],
        ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A text cell that no spreadsheet reads as a formula (CSV injection): one starting with
    =, +, -, @, a tab or a carriage return gets a leading apostrophe. Other values as given."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def answer_keys(registrations):
    keys = []
    for registration in registrations:
        for key in registration.answers or {}:
            if key not in keys:
                keys.append(key)
    return keys


def filename(occurrence, extension):
    day = timezone.localtime(occurrence.start).strftime("%Y-%m-%d")
    return f"inscriptions-{slugify(occurrence.page.title)[:60]}-{day}.{extension}"


def export(occurrence, registrations, fmt):
    registrations = list(registrations)
    table = list(rows(registrations, answer_keys(registrations)))
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Inscriptions"
        for row in table:
            sheet.append([safe_cell(str(cell)) for cell in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # Excel reads UTF-8 with a BOM
        writer = csv.writer(response, delimiter=";")
        for row in table:
            writer.writerow([safe_cell(str(cell)) for cell in row])
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename(occurrence, fmt)}"'
    return response
