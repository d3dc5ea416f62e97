"""The page's <meta name="description">: its promotion text, else what its type shows first."""

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

register = template.Library()

# Read in this order: the editor's promotion text, then each page type's own lead-in (events and
# resources: summary; groups: purpose; standard, index and training pages: intro).
SOURCES = ("search_description", "summary", "purpose", "intro", "mission")
LENGTH = 160  # what search engines show


def default_description():
    return _(
        "RESECO, le réseau des acheteurs publics du Grand Ouest pour une commande publique durable : "
        "agenda, formations, groupes de travail, guides et modèles."
    )


@register.simple_tag
def meta_description(page=None):
    """A plain-text description of at most 160 characters; the network's own when the page has none."""
    for name in SOURCES:
        text = " ".join(strip_tags(str(getattr(page, name, "") or "")).split())
        if text:
            return Truncator(text).chars(LENGTH)
    return default_description()
