"""StreamField blocks shared by every app's pages (one place, reused, never copied)."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("titre"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("niveau"), choices=[("h2", _("Titre de niveau 2")), ("h3", _("Titre de niveau 3"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Titre")
        template = "blocks/heading.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"), max_length=200)
    text = blocks.RichTextBlock(label=_("texte"), features=["bold", "italic", "link", "ul", "ol"])
    link = blocks.PageChooserBlock(label=_("lien"), required=False)
    link_text = blocks.CharBlock(label=_("texte du lien"), required=False, max_length=80)

    class Meta:
        icon = "pick"
        label = _("Encadré")
        template = "blocks/callout.html"


class FigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("chiffre"), max_length=20, help_text=_("Par exemple « 130 »."))
    caption = blocks.CharBlock(label=_("légende"), max_length=120)


class KeyFiguresBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"), max_length=200, required=False)
    figures = blocks.ListBlock(FigureBlock(), label=_("chiffres clés"))

    class Meta:
        icon = "order"
        label = _("Chiffres clés")
        template = "blocks/key_figures.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("intitulé"), required=False, help_text=_("Par défaut, le titre du document."))

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "blocks/document_link.html"


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraphe"), features=["h2", "h3", "bold", "italic", "link", "document-link", "ol", "ul"]
    )
    image = ImageBlock(label=_("Image"))
    callout = CalloutBlock()
    key_figures = KeyFiguresBlock()
    document = DocumentLinkBlock()
    quote = blocks.BlockQuoteBlock(label=_("Citation"))

    class Meta:
        label = _("Contenu")
