"""PDF documents (sign-in sheets, certificates, the annual report, invoices), rendered by
WeasyPrint from a template: one renderer, one response."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

# Imported here rather than at the top of the module: WeasyPrint loads Pango and its fonts
# (about a second); pages that never print a PDF should not pay for it.


def render_pdf(template_name, context, *, request=None, variant=None):
    """The PDF bytes of ``template_name``. Static files are found from the request's address
    when there is one, else from the project folder; ``variant`` is WeasyPrint's ``pdf_variant``
    (``"pdf/a-3b"`` for Factur-X)."""
    from weasyprint import HTML  # see the note above: slow to import

    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else str(settings.BASE_DIR)
    options = {"pdf_variant": variant} if variant else {}
    return HTML(string=html, base_url=base_url).write_pdf(**options)


def pdf_response(content, filename, *, inline=True):
    """A PDF download that no cache keeps; ``filename`` is sent as it is (slugify it first when
    it comes from people's names)."""
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
