"""StreamField blocks of the library: the reusable « criterion » and guide sections."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from base.blocks import BaseStreamBlock

PLACEMENTS = [
    ("technical_specification", _("Spécification technique")),
    ("selection", _("Critère de sélection des candidatures")),
    ("award", _("Critère d'attribution")),
    ("performance_clause", _("Clause d'exécution")),
]

VERIFICATIONS = [
    ("label", _("Label")),
    ("certificate", _("Certificat ou attestation d'un tiers")),
    ("self_declaration", _("Déclaration sur l'honneur")),
]


class CriterionBlock(blocks.StructBlock):
    """A social or environmental criterion, ready to paste into a tender."""

    text = blocks.RichTextBlock(
        label=_("texte du critère"),
        features=["bold", "italic", "ul", "ol", "link"],
        help_text=_("Le texte tel qu'il figurera dans le dossier de consultation."),
    )
    placement = blocks.ChoiceBlock(
        label=_("place dans le marché"), choices=PLACEMENTS, help_text=_("Où le critère s'insère dans le marché.")
    )
    weighting = blocks.IntegerBlock(
        label=_("pondération (%)"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("Pour un critère d'attribution : sa part de la note, en pourcentage."),
    )
    legal_basis = blocks.CharBlock(
        label=_("fondement juridique"),
        required=False,
        max_length=300,
        help_text=_("Par exemple « Code de la commande publique, art. R2152-7 »."),
    )
    verification = blocks.ChoiceBlock(
        label=_("vérification"), choices=VERIFICATIONS, help_text=_("Comment l'acheteur vérifie le respect du critère.")
    )
    verification_details = blocks.CharBlock(
        label=_("précisions sur la vérification"),
        required=False,
        max_length=300,
        help_text=_("Par exemple le label attendu « ou équivalent »."),
    )

    class Meta:
        icon = "tick-inverse"
        label = _("Critère")
        template = "resources/blocks/criterion.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["placement_label"] = dict(PLACEMENTS).get(value.get("placement"), "")
        context["verification_label"] = dict(VERIFICATIONS).get(value.get("verification"), "")
        return context

    def clean(self, value):
        value = super().clean(value)
        if value.get("placement") == "award" and not value.get("weighting"):
            raise StructBlockValidationError(
                block_errors={"weighting": ValidationError(_("Indiquez la pondération d'un critère d'attribution."))}
            )
        if value.get("placement") != "award" and value.get("weighting"):
            raise StructBlockValidationError(
                block_errors={"weighting": ValidationError(_("Seul un critère d'attribution porte une pondération."))}
            )
        return value


class GuideSectionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre de la section"), max_length=200)
    text = blocks.RichTextBlock(
        label=_("texte"), required=False, features=["h3", "bold", "italic", "link", "document-link", "ol", "ul"]
    )
    criteria = blocks.ListBlock(CriterionBlock(), label=_("critères"), default=[])

    class Meta:
        icon = "doc-full"
        label = _("Section du guide")
        template = "resources/blocks/guide_section.html"


class ClauseBlock(blocks.StructBlock):
    """A model clause of a tender template."""

    title = blocks.CharBlock(label=_("intitulé"), max_length=200)
    text = blocks.RichTextBlock(label=_("texte de la clause"), features=["bold", "italic", "ul", "ol"])
    criterion = blocks.ListBlock(CriterionBlock(), label=_("critères associés"), default=[])

    class Meta:
        icon = "form"
        label = _("Clause type")
        template = "resources/blocks/clause.html"


class GuideStreamBlock(BaseStreamBlock):
    section = GuideSectionBlock()
    criterion = CriterionBlock()


class TemplateStreamBlock(BaseStreamBlock):
    clause = ClauseBlock()
    criterion = CriterionBlock()
