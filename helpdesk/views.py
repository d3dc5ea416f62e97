"""The member's side of the helpdesk: ask a question, read and continue the thread, download
the thread's attachments. Anonymous visitors are sent to log in; suppliers and non-members get a
clear French refusal (403)."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from base.staff import is_staff

from .forms import QuestionForm, ReplyForm, attachment_rules
from .models import Attachment, Question
from .services import HelpdeskError, ask, may_ask, reply


def _refusal(request):
    if not request.user.is_authenticated:
        messages.info(request, _("Connectez-vous avec votre compte de collectivité membre pour poser une question."))
        return redirect_to_login(request.get_full_path())
    return render(request, "helpdesk/refused.html", status=403)


def _limited(request, error):
    return render(request, "helpdesk/refused.html", {"error": error}, status=429)


@never_cache
def ask_view(request):
    if not may_ask(request.user):
        return _refusal(request)
    form = QuestionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                question = ask(
                    request.user,
                    topic=data["topic"],
                    sector=data["sector"],
                    tender_context=data["tender_context"],
                    body=data["body"],
                    files=data["attachments"],
                )
            except HelpdeskError as error:
                if error.code == "rate_limited":
                    return _limited(request, error.message)
                raise
            messages.success(request, _("Votre question est envoyée : l'équipe vous répond par courriel."))
            return redirect("helpdesk:thread", pk=question.pk)
        status = 400
    return render(request, "helpdesk/ask.html", {"form": form, "rules": attachment_rules()}, status=status)


def handle_reply(request, question, *, from_staff):
    """The reply form of a thread, for its author or the staff: (form, HTTP status, sent)."""
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return form, 200, False
    if not form.is_valid():
        return form, 400, False
    try:
        reply(
            question,
            author=request.user,
            body=form.cleaned_data["body"],
            files=form.cleaned_data["attachments"],
            from_staff=from_staff,
        )
    except HelpdeskError as error:
        messages.error(request, error.message)
        return form, 429 if error.code == "rate_limited" else 400, False
    return form, 200, True


@never_cache
def thread_view(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    question = get_object_or_404(Question.objects.select_related("sector"), pk=pk, author=request.user)
    form, status, sent = handle_reply(request, question, from_staff=False)
    if sent:
        messages.success(request, _("Message envoyé à l'équipe."))
        return redirect("helpdesk:thread", pk=question.pk)
    return render(
        request,
        "helpdesk/thread.html",
        {
            "question": question,
            "thread": question.messages.select_related("author").prefetch_related("attachments"),
            "form": form,
        },
        status=status,
    )


@never_cache
def attachment_view(request, pk):
    """An attachment, only for the question's author and the staff (never a public media URL)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attachment = get_object_or_404(Attachment.objects.select_related("message__question"), pk=pk)
    if not (is_staff(request.user) or attachment.message.question.author_id == request.user.pk):
        raise Http404
    content_type = mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response
