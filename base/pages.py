"""What the site's section pages share: a singleton index under home, and a listing's 400."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class SectionIndexPage(Page):
    """Base of the site's section pages (/agenda/, /formations/, …): a singleton under home with an intro."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Texte affiché en tête de la section."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["home.HomePage"]

    class Meta:
        abstract = True


class ClientErrorStatusMixin:
    """A listing page whose context says its query parameters were refused (unknown filter value,
    a query too long, a page number that does not exist) answers 400, with the page explaining why."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if getattr(response, "context_data", None) and response.context_data.get("filters_invalid"):
            response.status_code = 400
        return response
