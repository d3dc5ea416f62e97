"""The staff's side of the helpdesk, in the Wagtail admin: the questions, each thread with its
answer form, and drafting a FAQ entry from an answered question."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from base.staff import is_staff

from .models import Question, QuestionStatus
from .services import HelpdeskError, close, draft_faq_entry
from .views import handle_reply


def _staff_only(request):
    if not is_staff(request.user):
        raise PermissionDenied


def questions(request):
    _staff_only(request)
    status = request.GET.get("statut", "")
    items = Question.objects.select_related("author", "organisation", "sector").annotate(
        message_count=Count("messages")
    )
    if status in QuestionStatus.values:
        items = items.filter(status=status)
    return TemplateResponse(
        request,
        "helpdesk/admin/questions.html",
        {
            "page_title": _("Assistance : questions des membres"),
            "header_icon": "help",
            "questions": items[:200],
            "statuses": QuestionStatus.choices,
            "status": status,
        },
    )


def thread(request, pk):
    _staff_only(request)
    question = get_object_or_404(Question.objects.select_related("author", "organisation", "sector"), pk=pk)
    form, status, sent = handle_reply(request, question, from_staff=True)
    if sent:
        messages.success(request, _("Réponse envoyée : le membre est prévenu par courriel."))
        return redirect("helpdesk_admin:thread", pk=question.pk)
    return TemplateResponse(
        request,
        "helpdesk/admin/thread.html",
        {
            "page_title": question.topic,
            "header_icon": "help",
            "question": question,
            "thread": question.messages.select_related("author").prefetch_related("attachments"),
            "form": form,
        },
        status=status,
    )


@require_POST
def close_question(request, pk):
    _staff_only(request)
    close(get_object_or_404(Question, pk=pk))
    messages.success(request, _("Question close."))
    return redirect("helpdesk_admin:questions")


@require_POST
def faq_draft(request, pk):
    _staff_only(request)
    question = get_object_or_404(Question, pk=pk)
    try:
        entry = draft_faq_entry(question)
    except HelpdeskError as error:
        messages.error(request, error.message)
        return redirect("helpdesk_admin:thread", pk=pk)
    messages.success(request, _("Brouillon de FAQ créé : retirez noms et détails, puis cochez « publiée »."))
    return redirect(reverse("wagtailsnippets_helpdesk_faqentry:edit", args=[entry.pk]))
