"""The coordinator's table row by row: built with format_html rather than template tags, since
the table may list every member body and a dozen template nodes per row cost seconds there."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from ..models import ParticipationStatus

register = template.Library()

STATUS_CLASS = {ParticipationStatus.SIGNED: " tag--green", ParticipationStatus.WITHDRAWN: " tag--red"}


def _labels(context):
    """The row's words, translated once per page rather than once per row."""
    cache = context.render_context
    if "jointpurchases_labels" not in cache:
        cache["jointpurchases_labels"] = {
            "choices": [(value, str(label)) for value, label in ParticipationStatus.choices],
            "signed": _("convention signée"),
            "change": _("Changer"),
            "status": _("Avancement"),
            "document": _("Convention signée (PDF)"),
            "save": _("Enregistrer"),
        }
    return cache["jointpurchases_labels"]


@register.simple_tag(takes_context=True)
def status_cell(context, participation, base_url):
    """The body's progress, its signed convention, and the form to change it."""
    p, labels = participation, _labels(context)
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == p.status else "", label) for value, label in labels["choices"]),
    )
    document = (
        format_html('<br><a href="{}convention-signee/{}/">{}</a>', base_url, p.pk, labels["signed"])
        if p.signed_document
        else ""
    )
    return format_html(
        '<span class="tag{}">{}</span>{}'
        '<details><summary>{}<span class="visually-hidden"> — {}</span></summary>'
        '<form method="post" action="{}avancement/{}/" enctype="multipart/form-data">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<label for="status-{}">{}</label><select name="status" id="status-{}">{}</select>'
        '<label for="doc-{}">{}</label>'
        '<input type="file" name="signed_document" id="doc-{}" accept=".pdf,application/pdf">'
        '<button type="submit" class="button button-small">{}</button></form></details>',
        STATUS_CLASS.get(p.status, ""),
        dict(labels["choices"]).get(p.status, p.status),
        document,
        labels["change"],
        p.organisation.name,
        base_url,
        p.pk,
        context.get("csrf_token", ""),
        p.pk,
        labels["status"],
        p.pk,
        options,
        p.pk,
        labels["document"],
        p.pk,
        labels["save"],
    )
