"""What the site's section pages share: a singleton index under home, and a listing's 400."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PageViewRestriction


class ViewRestrictionsInOneQueryMixin:
    """Wagtail reads a page's view restrictions (its own and its ancestors') on every serve in two
    queries: the ancestors, then their restrictions. The ancestors' tree paths are prefixes of the
    page's own, so one query does: restrictions of the pages on that path, an alias standing for
    its source page as in Wagtail (an alias always points at a page that is not one)."""

    def get_view_restrictions(self):
        # Read once per page instance (a served page lives for one request): Wagtail's check and
        # ours (home.wagtail_hooks) both ask.
        cached = getattr(self, "_view_restrictions", None)
        if cached is None:
            cached = self._view_restrictions = self._read_view_restrictions()
        return cached

    def _read_view_restrictions(self):
        if not self.path:
            return super().get_view_restrictions()
        steplen = self.steplen
        paths = [self.path[:end] for end in range(steplen, len(self.path) + 1, steplen)]
        sources = Page.objects.filter(path__in=paths).annotate(source=Coalesce("alias_of_id", "id")).values("source")
        return PageViewRestriction.objects.filter(page_id__in=sources)


class SectionIndexPage(ViewRestrictionsInOneQueryMixin, Page):
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


def route_down(root, request, path_components):
    """The route of the page ``path_components`` names two or more levels under ``root``, found by
    its URL path in one lookup (and its specific row in a second), instead of one child lookup and
    one specific lookup per level; None when no page has that path (a sub-route of a page, say).
    The page's own ``route`` still decides (live or not: it may raise Http404)."""
    if len(path_components) < 2:
        return None
    url_path = f"{root.url_path}{'/'.join(path_components)}/"
    row = (
        Page.objects.filter(url_path=url_path, path__startswith=root.path).values_list("pk", "content_type_id").first()
    )
    model = ContentType.objects.get_for_id(row[1]).model_class() if row else None
    page = model.objects.filter(pk=row[0]).first() if model is not None else None
    return page.route(request, []) if page is not None else None


class DirectRouteMixin:
    """For the site's root page: deep pages are routed in two lookups (``route_down``); a path that
    names no page falls back to Wagtail's level-by-level routing. ``base.sites.serve`` does the
    same without loading the root page's own row."""

    def route(self, request, path_components):
        return route_down(self, request, path_components) or super().route(request, path_components)
