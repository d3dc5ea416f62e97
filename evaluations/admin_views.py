"""The editors' screens: every survey with its response rate, and the results of one run or of
every run of a page (a training), with charts, comments and an XLSX export."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail.models import Page

from base.french_dates import french_datetime
from base.staff import admin_context, require_staff

from . import services
from .exports import to_xlsx
from .models import Stage, Survey
from .results import results

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _index_url():
    return reverse("evaluations_admin:index")


def index(request):
    require_staff(request)
    surveys = Survey.objects.select_related("occurrence__page").annotate(
        response_count=Count("responses", distinct=True),
        invited_count=Count("invitations", distinct=True),
    )
    page_id = request.GET.get("page", "")
    if page_id.isdigit():
        surveys = surveys.filter(occurrence__page_id=int(page_id))
    stage = request.GET.get("moment", "")
    if stage in Stage.values:
        surveys = surveys.filter(stage=stage)
    paginator = Paginator(surveys.order_by("-occurrence__start", "stage", "pk"), 50)
    page_obj = paginator.get_page(request.GET.get("p"))
    context = admin_context(
        request, _("Évaluations"), page_obj=page_obj, stages=Stage.choices, stage=stage, page_filter=page_id
    )
    return TemplateResponse(request, "evaluations/admin/index.html", context)


def _surveys_of_page(page, stage):
    return list(
        Survey.objects.filter(occurrence__page=page, stage=stage)
        .select_related("occurrence__page", "questionnaire")
        .order_by("occurrence__start")
    )


def _survey(survey_id):
    survey = Survey.objects.select_related("occurrence__page", "questionnaire").filter(pk=survey_id).first()
    if survey is None:
        raise Http404(_("Cette évaluation n'existe pas."))
    return survey


def _scope(survey_id=None, page_id=None, stage=None):
    """(title, surveys, page, stage) of a run's survey or of a page's surveys at one stage."""
    if survey_id is not None:
        survey = _survey(survey_id)
        title = _("%(title)s, %(when)s (%(stage)s)") % {
            "title": survey.occurrence.page.title,
            "when": french_datetime(survey.occurrence.start),
            "stage": survey.get_stage_display(),
        }
        return title, [survey], survey.occurrence.page, survey.stage
    page = get_object_or_404(Page, pk=page_id)
    stage = stage if stage in Stage.values else Stage.HOT
    title = _("%(title)s, toutes les sessions (%(stage)s)") % {"title": page.title, "stage": Stage(stage).label}
    return title, _surveys_of_page(page, stage), page, stage


def survey_results(request, survey_id):
    require_staff(request)
    return _results(
        request,
        *_scope(survey_id=survey_id),
        export_url=reverse("evaluations_admin:survey_export", kwargs={"survey_id": survey_id}),
    )


def confirm_invitations(request, survey_id):
    """Who will get the survey's link, by name and in number; the link goes once an editor confirms."""
    require_staff(request)
    survey = _survey(survey_id)
    people = services.people_to_invite(survey).order_by("last_name", "first_name", "pk")
    if request.method == "POST":
        sent = services.confirm_invitations(survey, actor=request.user)
        messages.success(request, _("Questionnaire envoyé à %(count)s personne(s).") % {"count": sent})
        return redirect("evaluations_admin:survey", survey_id=survey.pk)
    context = admin_context(request, _("Envoyer le questionnaire"), survey=survey, people=people, count=people.count())
    return TemplateResponse(request, "evaluations/admin/confirm_invitations.html", context)


def page_results(request, page_id):
    require_staff(request)
    scope = _scope(page_id=page_id, stage=request.GET.get("moment"))
    url = reverse("evaluations_admin:page_export", kwargs={"page_id": page_id}) + f"?moment={scope[3]}"
    return _results(request, *scope, export_url=url, per_page=True)


def _results(request, title, surveys, page, stage, *, export_url, per_page=False):
    data = results(surveys)
    context = admin_context(
        request,
        title,
        parents=[(_("Évaluations"), _index_url())],
        results=data,
        surveys=surveys,
        page=page,
        stage=stage,
        stages=Stage.choices,
        per_page=per_page,
        export_url=export_url,
        page_url=reverse("evaluations_admin:page", kwargs={"page_id": page.pk}),
    )
    return TemplateResponse(request, "evaluations/admin/results.html", context)


def _xlsx(title, surveys, filename):
    response = HttpResponse(to_xlsx(title, results(surveys)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def survey_export(request, survey_id):
    require_staff(request)
    title, surveys, page, stage = _scope(survey_id=survey_id)
    return _xlsx(title, surveys, f"evaluation-{slugify(page.title)[:60]}-{survey_id}")


def page_export(request, page_id):
    require_staff(request)
    title, surveys, page, stage = _scope(page_id=page_id, stage=request.GET.get("moment"))
    return _xlsx(title, surveys, f"evaluations-{slugify(page.title)[:60]}-{stage}")
