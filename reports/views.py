"""The activity report in the admin (« Rapport d'activité »): figures with charts and
year-over-year comparison, exports, and the drill-down list behind each figure."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from base.periods import PeriodError, default_period, parse_period
from base.staff import admin_context, require_staff

from . import drilldown as drilldowns
from .exports import to_csv, to_xlsx
from .figures import compute
from .pdf import annual_report_pdf, report_context

EXPORT_FORMATS = ("csv", "xlsx", "pdf")


def period_from(request):
    if request.GET.get("from") is None and request.GET.get("to") is None:
        return default_period()
    return parse_period(request.GET.get("from"), request.GET.get("to"))


def drill_url(drill, period):
    if not drill:
        return ""
    name, params = drill
    return reverse("reports_drilldown", args=[name]) + "?" + urlencode({**period.as_params(), **params})


def report(request):
    require_staff(request)
    title = _("Rapport d'activité")
    try:
        period = period_from(request)
    except PeriodError as error:
        context = admin_context(
            request, title, error=error, raw_from=request.GET.get("from", ""), raw_to=request.GET.get("to", "")
        )
        return TemplateResponse(request, "reports/report.html", context, status=400)
    result = compute(period)
    for figure in result.figures.values():
        figure.url = drill_url(figure.drill, period)
    for breakdown in result.breakdowns.values():
        for row in breakdown.rows:
            row.urls = {key: drill_url(drill, period) for key, drill in row.drill.items()}
    query = urlencode(period.as_params())
    context = admin_context(
        request,
        title,
        period=period,
        raw_from=period.start.isoformat(),
        raw_to=period.end.isoformat(),
        exports=[(fmt.upper(), reverse("reports_export", args=[fmt]) + "?" + query) for fmt in EXPORT_FORMATS],
        **report_context(result, link=lambda drill: drill_url(drill, period)),
    )
    return TemplateResponse(request, "reports/report.html", context)


def export(request, fmt):
    require_staff(request)
    if fmt not in EXPORT_FORMATS:
        raise Http404(_("Format d'export inconnu."))
    try:
        period = period_from(request)
    except PeriodError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    result = compute(period)
    filename = f"rapport-activite-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}"
    if fmt == "csv":
        response = HttpResponse(to_csv(result), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            to_xlsx(result), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = HttpResponse(annual_report_pdf(result), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def drilldown(request, name):
    require_staff(request)
    if name not in drilldowns.DRILLDOWNS:
        raise Http404(_("Indicateur inconnu."))
    try:
        period = period_from(request)
        detail = drilldowns.drilldown(name, period, request.GET)
    except PeriodError as error:
        context = admin_context(request, _("Détail d'un indicateur"), error=error)
        return TemplateResponse(request, "reports/drilldown.html", context, status=400)
    page = Paginator(detail.rows, 100).get_page(request.GET.get("p"))
    rows = [[cell if isinstance(cell, tuple) else (cell, "") for cell in detail.cells(row)] for row in page.object_list]
    params = request.GET.copy()
    params.pop("p", None)
    report_url = reverse("reports_report") + "?" + urlencode(period.as_params())
    context = admin_context(
        request,
        detail.title,
        parents=[(_("Rapport d'activité"), report_url)],
        period=period,
        detail=detail,
        rows=rows,
        page=page,
        query=params.urlencode(),
    )
    return TemplateResponse(request, "reports/drilldown.html", context)
