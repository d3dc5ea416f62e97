"""The questions of a questionnaire, as StreamField blocks. Each question is identified by its
block id (stable through edits): answers are stored against it, so editing a question's wording
or reordering questions keeps the answers already given."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks


class RatingQuestionBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("question"), max_length=300)
    help_text = blocks.CharBlock(
        label=_("aide"), max_length=300, required=False, help_text=_("Précision affichée sous la question.")
    )

    class Meta:
        icon = "pick"
        label = _("Note de 1 à 5")


class ChoiceQuestionBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("question"), max_length=300)
    choices = blocks.ListBlock(
        blocks.CharBlock(max_length=200, label=_("réponse possible")),
        label=_("réponses possibles"),
        min_num=2,
        max_num=12,
    )

    class Meta:
        icon = "list-ul"
        label = _("Choix parmi des réponses")


class TextQuestionBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("question"), max_length=300)
    help_text = blocks.CharBlock(label=_("aide"), max_length=300, required=False)

    class Meta:
        icon = "pilcrow"
        label = _("Réponse libre")


class RecommendQuestionBlock(blocks.StructBlock):
    label = blocks.CharBlock(
        label=_("question"),
        max_length=300,
        default=_("Recommanderiez-vous cette activité à un ou une collègue ?"),
    )

    class Meta:
        icon = "tick"
        label = _("Recommanderiez-vous ? (oui / non)")


class QuestionsBlock(blocks.StreamBlock):
    rating = RatingQuestionBlock()
    choice = ChoiceQuestionBlock()
    text = TextQuestionBlock()
    recommend = RecommendQuestionBlock()
