from django.utils.translation import gettext_lazy as _

from wagtail.models import Page


class SearchPage(Page):
    """/recherche/: full-text search of pages and documents."""

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("page de recherche")

    def get_context(self, request, *args, **kwargs):
        from .queries import search_pages

        context = super().get_context(request, *args, **kwargs)
        context.update(search_pages(request))
        return context
