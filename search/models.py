from django.db import models
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from base import ratelimit
from base.pages import ClientErrorStatusMixin, ViewRestrictionsInOneQueryMixin


class SearchPage(ClientErrorStatusMixin, ViewRestrictionsInOneQueryMixin, Page):
    """/recherche/: full-text search of pages and documents."""

    max_count = 1
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("page de recherche")

    def serve(self, request, *args, **kwargs):
        if request.GET.get("q") and (limited := ratelimit.check(request, "search", methods=("GET", "HEAD"))):
            return limited
        response = super().serve(request, *args, **kwargs)
        if request.GET.get("q"):
            # Every search is logged for the editors, so none is answered from a shared cache.
            patch_cache_control(response, private=True, no_cache=True)
        return response

    def get_context(self, request, *args, **kwargs):
        from .fragments import search_context  # the queries import the page models: loaded on use

        context = super().get_context(request, *args, **kwargs)
        context.update(search_context(request, self))
        return context


class SearchLog(models.Model):
    """What people search for: one row per normalised query, with its latest result count, so
    editors see popular searches and those that find nothing."""

    query_string = models.CharField(_("recherche"), max_length=255, unique=True)
    hits = models.PositiveIntegerField(_("nombre de recherches"), default=0)
    zero_result_hits = models.PositiveIntegerField(_("recherches sans résultat"), default=0)
    last_result_count = models.PositiveIntegerField(_("résultats la dernière fois"), default=0)
    first_searched_at = models.DateTimeField(_("première recherche"), auto_now_add=True)
    last_searched_at = models.DateTimeField(_("dernière recherche"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["-last_searched_at"]
        verbose_name = _("recherche des visiteurs")
        verbose_name_plural = _("recherches des visiteurs")

    def __str__(self):
        return self.query_string
