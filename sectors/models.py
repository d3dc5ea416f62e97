from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index
from wagtail.snippets.models import register_snippet


class SectorQuerySet(models.QuerySet):
    def in_use_order(self):
        return self.order_by("sort_order", "name")


class Sector(index.Indexed, models.Model):
    """A purchasing sector or theme, shared by events, working groups, resources and suppliers."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(
        _("identifiant"), max_length=120, unique=True, help_text=_("Utilisé dans les adresses et les filtres.")
    )
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(
        _("ordre"), default=0, help_text=_("Les secteurs sont listés dans cet ordre.")
    )

    objects = SectorQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("secteur")
        verbose_name_plural = _("secteurs")

    def __str__(self):
        return self.name


register_snippet(Sector)

# The network's sectors and themes, in the order the network lists them.
NETWORK_SECTORS = [
    ("alimentation-restauration", "Alimentation et restauration collective"),
    ("textiles", "Textiles"),
    ("nettoyage", "Nettoyage et produits d'entretien"),
    ("construction-batiment", "Construction et bâtiment"),
    ("energie", "Énergie"),
    ("vehicules-mobilite", "Véhicules et mobilité"),
    ("fournitures", "Fournitures de bureau et scolaires"),
    ("impression", "Impression et papier"),
    ("bois-mobilier", "Bois et mobilier"),
    ("prestations-intellectuelles", "Prestations intellectuelles"),
    ("voirie", "Voirie et routes durables"),
    ("economie-circulaire", "Économie circulaire"),
    ("clauses-sociales", "Clauses sociales et marchés réservés"),
    ("rse", "Responsabilité sociétale des entreprises (RSE)"),
    ("gaz-effet-de-serre", "Critères gaz à effet de serre"),
    ("politique-achat", "Politique et stratégie d'achat"),
    ("indicateurs-evaluation", "Indicateurs et évaluation"),
]
