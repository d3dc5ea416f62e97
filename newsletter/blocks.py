"""The blocks of an issue. Each carries « réservé aux membres »: such a block is left out of the
public archive and of the copies sent to non-members. Two blocks are filled when the issue is
rendered: « Prochains rendez-vous » (occurrences of the agenda for a period, read from the
engine's rows) and « Nouvelles ressources » (published since the previous issue)."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

TEXT_FEATURES = ["h3", "bold", "italic", "link", "ol", "ul"]


def members_only():
    """The last field of every block (declared in each, so that it comes after the content)."""
    return blocks.BooleanBlock(
        label=_("réservé aux membres"),
        required=False,
        help_text=_("Absent de l'archive publique et des envois aux abonnés non membres et aux fournisseurs."),
    )


class IssueBlock(blocks.StructBlock):
    """Base of the blocks of an issue; each declares ``members_only = members_only()`` last."""


class EditorialBlock(IssueBlock):
    heading = blocks.CharBlock(label=_("titre"), required=False, max_length=160)
    text = blocks.RichTextBlock(label=_("texte"), features=TEXT_FEATURES)

    members_only = members_only()

    class Meta:
        label = _("Éditorial ou texte")
        icon = "pilcrow"


class ImageBlock(IssueBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("texte alternatif"), max_length=200, help_text=_("Ce que montre l'image, pour qui ne la voit pas.")
    )
    caption = blocks.CharBlock(label=_("légende"), required=False, max_length=250)

    members_only = members_only()

    class Meta:
        label = _("Image")
        icon = "image"


class ResourceBlock(IssueBlock):
    resource = blocks.PageChooserBlock(label=_("ressource"), page_type=["resources.ResourcePage"])
    comment = blocks.TextBlock(
        label=_("commentaire"), required=False, max_length=600, help_text=_("Pourquoi la lire (deux ou trois lignes).")
    )

    members_only = members_only()

    class Meta:
        label = _("Ressource à la une")
        icon = "doc-full"


class AgendaBlock(IssueBlock):
    heading = blocks.CharBlock(label=_("titre"), default=_("Prochains rendez-vous"), max_length=160)
    days = blocks.IntegerBlock(
        label=_("période (jours)"),
        default=45,
        min_value=1,
        max_value=366,
        help_text=_("Les dates de l'agenda entre la date du numéro et ce nombre de jours après."),
    )

    members_only = members_only()

    class Meta:
        label = _("Prochains rendez-vous")
        icon = "date"


class NewResourcesBlock(IssueBlock):
    heading = blocks.CharBlock(label=_("titre"), default=_("Nouvelles ressources"), max_length=160)

    members_only = members_only()

    class Meta:
        label = _("Nouvelles ressources (depuis le numéro précédent)")
        icon = "folder-open-inverse"


class GroupNewsBlock(IssueBlock):
    group = blocks.PageChooserBlock(label=_("groupe de travail"), page_type=["workinggroups.WorkingGroupPage"])
    text = blocks.RichTextBlock(label=_("nouvelles"), features=TEXT_FEATURES)

    members_only = members_only()

    class Meta:
        label = _("Nouvelles d'un groupe de travail")
        icon = "group"


class CallToActionBlock(IssueBlock):
    text = blocks.CharBlock(label=_("message"), max_length=300)
    button = blocks.CharBlock(label=_("texte du bouton"), max_length=60)
    url = blocks.URLBlock(label=_("adresse du lien"), help_text=_("Une adresse complète, https://…"))

    members_only = members_only()

    class Meta:
        label = _("Appel à l'action")
        icon = "pick"


class IssueStreamBlock(blocks.StreamBlock):
    editorial = EditorialBlock()
    image = ImageBlock()
    resource = ResourceBlock()
    agenda = AgendaBlock()
    new_resources = NewResourcesBlock()
    group_news = GroupNewsBlock()
    call_to_action = CallToActionBlock()
