"""The programme of a training, day by day."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks import StructBlockValidationError


class SessionBlock(blocks.StructBlock):
    start = blocks.TimeBlock(label=_("début"), help_text=_("Heure de début de la séquence."))
    end = blocks.TimeBlock(label=_("fin"), help_text=_("Heure de fin de la séquence."))
    title = blocks.CharBlock(label=_("intitulé"), max_length=200)
    content = blocks.RichTextBlock(label=_("contenu"), required=False, features=["bold", "italic", "link", "ul", "ol"])

    def clean(self, value):
        result = super().clean(value)
        if result["start"] and result["end"] and result["end"] <= result["start"]:
            raise StructBlockValidationError(block_errors={"end": ValidationError(_("La fin doit suivre le début."))})
        return result


class ProgrammeDayBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("journée"), max_length=200, help_text=_("Par exemple « Jour 1 : le cadre juridique ».")
    )
    sessions = blocks.ListBlock(SessionBlock(), label=_("séquences"))

    class Meta:
        icon = "date"
        label = _("Journée")
        template = "trainings/blocks/programme_day.html"


class TrainerBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("nom"), max_length=150)
    role = blocks.CharBlock(label=_("fonction"), max_length=200, required=False)

    class Meta:
        icon = "user"
        label = _("Formateur ou formatrice")


class ProgrammeBlock(blocks.StreamBlock):
    day = ProgrammeDayBlock()


class TrainersBlock(blocks.StreamBlock):
    trainer = TrainerBlock()
