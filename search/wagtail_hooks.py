"""Editors see what people search for, and which searches find nothing (Rapports menu)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

import django_filters

from base.staff import StaffMenuItem, is_staff

from .models import SearchLog


class SearchLogFilterSet(WagtailFilterSet):
    zero = django_filters.BooleanFilter(
        label=_("Sans résultat la dernière fois"), method="filter_zero", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = SearchLog
        fields = []

    def filter_zero(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(last_result_count=0) if value else queryset.filter(last_result_count__gt=0)


class SearchLogReportView(ReportView):
    page_title = _("Recherches des visiteurs")
    header_icon = "search"
    model = SearchLog
    filterset_class = SearchLogFilterSet
    permission_required = "view"
    index_url_name = "search_log_report"
    index_results_url_name = "search_log_report_results"
    results_template_name = "wagtailadmin/reports/base_report_results.html"
    list_export = ["query_string", "hits", "zero_result_hits", "last_result_count", "last_searched_at"]
    export_headings = {
        "query_string": _("Recherche"),
        "hits": _("Nombre de recherches"),
        "zero_result_hits": _("Sans résultat"),
        "last_result_count": _("Résultats la dernière fois"),
        "last_searched_at": _("Dernière recherche"),
    }
    columns = [
        Column("query_string", label=_("Recherche")),
        Column("hits", label=_("Nombre de recherches")),
        Column("zero_result_hits", label=_("Recherches sans résultat")),
        Column("last_result_count", label=_("Résultats la dernière fois")),
        DateColumn("last_searched_at", label=_("Dernière recherche")),
    ]

    def get_queryset(self):
        return SearchLog.objects.order_by("last_result_count", "-hits", "-last_searched_at")

    def get_filename(self):
        return "recherches-des-visiteurs"

    def user_has_permission(self, permission):
        return is_staff(self.request.user)


@hooks.register("register_admin_urls")
def register_search_log_urls():
    view = SearchLogReportView.as_view()
    results = SearchLogReportView.as_view(results_only=True)
    return [
        path("reports/recherches/", view, name="search_log_report"),
        path("reports/recherches/results/", results, name="search_log_report_results"),
    ]


@hooks.register("register_reports_menu_item")
def register_search_log_menu_item():
    return StaffMenuItem(
        _("Recherches des visiteurs"), reverse("search_log_report"), name="search-log", icon_name="search", order=950
    )
