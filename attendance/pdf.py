"""PDFs of attendance: the sign-in sheet (feuille d'émargement) and the certificate
(attestation de présence / de formation), rendered by WeasyPrint from templates."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify


def render_pdf(template_name, context, *, request=None):
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else str(settings.BASE_DIR)
    return HTML(string=html, base_url=base_url).write_pdf()


def pdf_response(content, filename, *, inline=True):
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{slugify(filename)}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def trainers_of(page):
    """The trainer names of a page, read generically: a ``trainers`` attribute that may be a
    related manager, a list, a StreamField or a plain string; [] when the page has none."""
    trainers = getattr(page, "trainers", None)
    if trainers is None:
        return []
    if isinstance(trainers, str):
        return [trainers] if trainers.strip() else []
    if hasattr(trainers, "all"):
        trainers = trainers.all()
    names = []
    for trainer in trainers:
        value = getattr(trainer, "value", trainer)  # a StreamField child
        if isinstance(value, dict):
            value = value.get("name") or " ".join(str(v) for v in value.values() if isinstance(v, str))
        name = getattr(value, "name", None) or str(value)
        if name.strip():
            names.append(name.strip())
    return names


def hours_display(value):
    """Hours the French way, without useless decimals: 14, 10,5, 10,25."""
    from decimal import Decimal

    number = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    return f"{number:f}".replace(".", ",")
