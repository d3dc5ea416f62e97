"""The printable annual report (PDF), rendered by WeasyPrint from a template."""

from django.utils import timezone

from base.pdf import render_pdf

from .charts import breakdown_chart


def report_context(report, *, link=None):
    """Sections with their figures, breakdowns and charts: for the admin page and the PDF."""
    sections = []
    for key, title in report.sections.items():
        breakdowns = [
            {"breakdown": b, "chart": breakdown_chart(b, link) if b.chart_column and b.available else None}
            for b in report.breakdown_list(key)
        ]
        sections.append({"key": key, "title": title, "figures": report.figure_list(key), "breakdowns": breakdowns})
    return {"report": report, "sections": sections}


def annual_report_pdf(report):
    context = {**report_context(report), "generated": timezone.localtime()}
    return render_pdf("reports/pdf/report.html", context)
