"""The staff's side of the exchange, in the Wagtail admin: the reports to handle, every thread
with its moderation history, hiding / restoring / editing a post with a reason, and turning a
resolved thread into a FAQ entry or a draft library resource (anonymised on request)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from base.staff import is_staff

from . import services
from .forms import ModerationForm, PublishForm
from .models import Answer, Question, Report


def _staff_only(request):
    if not is_staff(request.user):
        raise PermissionDenied


def _context(title, **context):
    return {"page_title": title, "header_title": title, "header_icon": "group", **context}


def reports(request):
    _staff_only(request)
    show_all = request.GET.get("tous") == "1"
    items = Report.objects.select_related("reporter", "question", "answer__question", "handled_by").order_by(
        "handled_at", "-created_at"
    )
    if not show_all:
        items = items.filter(handled_at__isnull=True)
    return TemplateResponse(
        request,
        "exchange/admin/reports.html",
        _context(_("Entraide : signalements"), reports=items[:200], show_all=show_all),
    )


def questions(request):
    _staff_only(request)
    items = (
        Question.objects.select_related("author", "organisation", "sector")
        .annotate(
            answer_count=Count("answers", distinct=True),
            helpful_count=Count("answers", filter=Q(answers__helpful=True), distinct=True),
            open_reports=Count("reports", filter=Q(reports__handled_at__isnull=True), distinct=True),
        )
        .order_by("-created_at")
    )
    return TemplateResponse(
        request, "exchange/admin/questions.html", _context(_("Entraide : questions"), questions=items[:200])
    )


def thread(request, pk):
    _staff_only(request)
    question = Question.objects.select_related("author", "organisation", "sector").filter(pk=pk).first()
    if question is None:
        raise Http404
    answers = question.answers.select_related("author", "organisation").prefetch_related("moderation__actor")
    return TemplateResponse(
        request,
        "exchange/admin/thread.html",
        _context(
            question.title,
            question=question,
            answers=answers,
            history=question.moderation.select_related("actor"),
            open_reports=Report.objects.filter(
                Q(question=question) | Q(answer__question=question), handled_at__isnull=True
            ).select_related("reporter", "answer"),
            moderation_form=ModerationForm(),
            publish_form=PublishForm(initial={"target": "faq", "anonymise": True}),
        ),
    )


@require_POST
def moderate(request, kind, pk):
    _staff_only(request)
    model = Question if kind == "question" else Answer
    post = model.objects.filter(pk=pk).first()
    if post is None:
        raise Http404
    question_id = post.pk if model is Question else post.question_id
    form = ModerationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("exchange_admin:thread", pk=question_id)
    try:
        services.moderate(
            post,
            actor=request.user,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
            text=form.cleaned_data["text"],
        )
    except services.ExchangeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Décision enregistrée dans l'historique du message."))
    return redirect("exchange_admin:thread", pk=question_id)


@require_POST
def publish(request, pk):
    _staff_only(request)
    question = Question.objects.select_related("author", "organisation", "sector").filter(pk=pk).first()
    if question is None:
        raise Http404
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez « FAQ » ou « Ressource »."))
        return redirect("exchange_admin:thread", pk=pk)
    anonymise = form.cleaned_data["anonymise"]
    try:
        if form.cleaned_data["target"] == "faq":
            entry = services.draft_faq_entry(question, actor=request.user, anonymise=anonymise)
            messages.success(request, _("Brouillon de FAQ créé : relisez-le, puis cochez « publiée »."))
            return redirect(reverse("wagtailsnippets_helpdesk_faqentry:edit", args=[entry.pk]))
        page = services.draft_resource(question, actor=request.user, anonymise=anonymise)
    except services.ExchangeError as error:
        messages.error(request, error.message)
        return redirect("exchange_admin:thread", pk=pk)
    messages.success(request, _("Brouillon de ressource créé dans la bibliothèque : relisez-le avant de publier."))
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
