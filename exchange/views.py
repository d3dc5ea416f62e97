"""The exchange's pages, served by the routes of ``ExchangeIndexPage`` (/entraide/…). The page's
privacy (members and staff) is checked by Wagtail before any route; each view checks again, so
a page whose restriction was lifted by mistake still refuses suppliers and the public."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from base.staff import is_staff
from sectors.models import Sector

from . import conf, services
from .forms import AnswerForm, FollowsForm, QuestionForm, ReportForm
from .models import Answer, Attachment, Follow, ProcedureType, Question


def _refused(request, page):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return TemplateResponse(request, "home/restricted.html", {"page": page, "subject": "page"}, status=403)


def members_only(view):
    def wrapper(request, page, *args):
        if not services.may_take_part(request.user):
            return _refused(request, page)
        response = view(request, page, *args)
        response["Cache-Control"] = "private, no-cache"
        return response

    wrapper.__name__ = view.__name__
    return wrapper


def _render(request, page, template, context, status=200):
    base = page.get_url(request)
    return TemplateResponse(request, template, {"page": page, "self": page, "base": base, **context}, status=status)


def _error_page(request, page, message, status):
    return _render(request, page, "exchange/error.html", {"error": message}, status=status)


def _status_for(error):
    return {"rate_limited": 429, "not_author": 403, "forbidden": 403, "not_found": 404, "not_member": 403}.get(
        error.code, 400
    )


@members_only
def listing(request, page):
    sectors = list(Sector.objects.in_use_order())
    by_slug = {s.slug: s for s in sectors}
    questions = Question.objects.for_listing()
    wanted = request.GET.get("secteur", "")
    which = request.GET.get("filtre", "")
    invalid = False
    if wanted:
        if wanted in by_slug:
            questions = questions.filter(sector=by_slug[wanted])
        else:
            invalid = True
    if which == "sans-reponse":
        questions = questions.filter(first_answer_at__isnull=True)
    elif which == "suivies":
        questions = questions.filter(follows__user=request.user)
    elif which == "miennes":
        questions = questions.filter(author=request.user)
    elif which:
        invalid = True
    paginator = Paginator(questions, conf.PAGE_SIZE)
    try:
        results = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        invalid = True
        results = paginator.page(1)
    context = {
        "questions": results,
        "sectors": sectors,
        "wanted_sector": wanted if not invalid else "",
        "which": which,
        "filters_invalid": invalid,
        "filters": [
            ("", _("Toutes")),
            ("sans-reponse", _("Sans réponse")),
            ("suivies", _("Que je suis")),
            ("miennes", _("Mes questions")),
        ],
    }
    return _render(request, page, "exchange/exchange_index_page.html", context, status=400 if invalid else 200)


@members_only
def ask(request, page):
    form = QuestionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                question = services.ask(
                    request.user,
                    title=data["title"],
                    body=data["body"],
                    sector=data["sector"],
                    procedure_type=data["procedure_type"],
                    deadline=data["deadline"],
                    files=data["attachments"],
                )
            except services.ExchangeError as error:
                if error.field:
                    form.add_error(error.field, error.message)
                else:
                    return _error_page(request, page, error.message, _status_for(error))
            else:
                messages.success(
                    request, _("Votre question est publiée : les membres qui suivent ce secteur sont prévenus.")
                )
                return redirect(f"{page.get_url(request)}questions/{question.pk}/")
        status = 400
    return _render(request, page, "exchange/ask.html", {"form": form}, status=status)


def _question_or_404(pk, user):
    question = Question.objects.select_related("author", "organisation", "sector").filter(pk=pk).first()
    if question is None or (question.hidden and not is_staff(user)):
        raise Http404(_("Cette question n'existe pas ou a été masquée."))
    return question


@members_only
def thread(request, page, pk):
    question = _question_or_404(pk, request.user)
    form = AnswerForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                reply = services.answer(
                    question,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    files=form.cleaned_data["attachments"],
                )
            except services.ExchangeError as error:
                if error.field:
                    form.add_error(error.field, error.message)
                else:
                    return _error_page(request, page, error.message, _status_for(error))
            else:
                messages.success(request, _("Votre réponse est publiée : l'auteur de la question est prévenu."))
                return redirect(f"{page.get_url(request)}questions/{question.pk}/#reponse-{reply.pk}")
        status = 400
    answers = (
        question.answers.filter(hidden=False)
        .select_related("author", "organisation")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
    )
    following = Follow.objects.filter(user=request.user, question=question).exists()
    context = {
        "question": question,
        "answers": answers,
        "question_attachments": list(question.attachments.all()),
        "form": form,
        "report_form": ReportForm(),
        "following": following,
        "is_author": question.author_id == request.user.pk,
        "procedure_label": dict(ProcedureType.choices).get(question.procedure_type, ""),
    }
    return _render(request, page, "exchange/thread.html", context, status=status)


@members_only
def follow_question(request, page, pk):
    if request.method != "POST":
        return _error_page(request, page, _("Utilisez le bouton « Suivre » de la question."), 405)
    question = _question_or_404(pk, request.user)
    on = request.POST.get("suivre") == "1"
    services.follow(request.user, question=question, on=on)
    messages.success(
        request,
        _("Vous suivez cette question : chaque réponse vous est envoyée par courriel.")
        if on
        else _("Vous ne suivez plus cette question."),
    )
    return redirect(f"{page.get_url(request)}questions/{question.pk}/")


@members_only
def helpful(request, page, pk):
    if request.method != "POST":
        return _error_page(request, page, _("Utilisez le bouton « Cette réponse m'a aidé »."), 405)
    try:
        reply = services.mark_helpful(pk, user=request.user, helpful=request.POST.get("utile", "1") == "1")
    except services.ExchangeError as error:
        return _error_page(request, page, error.message, _status_for(error))
    messages.success(
        request,
        _("Merci : cette réponse est signalée comme utile.")
        if reply.helpful
        else _("La mention « utile » est retirée."),
    )
    return redirect(f"{page.get_url(request)}questions/{reply.question_id}/#reponse-{reply.pk}")


@members_only
def report(request, page, kind, pk):
    if request.method != "POST":
        return _error_page(request, page, _("Utilisez le bouton « Signaler » du message."), 405)
    if kind == "question":
        post = _question_or_404(pk, request.user)
        target, question_id = {"question": post}, post.pk
    else:
        post = Answer.objects.filter(pk=pk, hidden=False, question__hidden=False).first()
        if post is None:
            raise Http404(_("Cette réponse n'existe pas ou a été masquée."))
        target, question_id = {"answer": post}, post.question_id
    form = ReportForm(request.POST)
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _error_page(request, page, message, 400)
    try:
        services.report(request.user, reason=form.cleaned_data["reason"], **target)
    except services.ExchangeError as error:
        return _error_page(request, page, error.message, _status_for(error))
    messages.success(request, _("Merci : l'équipe du réseau va examiner ce message."))
    return redirect(f"{page.get_url(request)}questions/{question_id}/")


@members_only
def follows(request, page):
    user = request.user
    current = list(Follow.objects.filter(user=user, question__isnull=True).values_list("sector_id", flat=True))
    initial = {
        "everything": None in current,
        "sectors": [pk for pk in current if pk],
        "frequency": services.frequency_of(user),
    }
    form = FollowsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            services.follow(user, on=data["everything"])
            wanted = {s.pk for s in data["sectors"]}
            for sector in Sector.objects.filter(pk__in=wanted | set(initial["sectors"])):
                services.follow(user, sector=sector, on=sector.pk in wanted)
            services.set_frequency(user, data["frequency"])
            messages.success(request, _("Vos abonnements à l'entraide sont enregistrés."))
            return redirect(f"{page.get_url(request)}abonnements/")
        status = 400
    followed_questions = list(
        Question.objects.visible()
        .filter(follows__user=user)
        .select_related("sector")
        .order_by("-last_activity_at")[:50]
    )
    return _render(
        request, page, "exchange/follows.html", {"form": form, "followed_questions": followed_questions}, status=status
    )


@members_only
def attachment(request, page, pk):
    item = Attachment.objects.select_related("question", "answer__question").filter(pk=pk).first()
    question = item and (item.question or item.answer.question)
    hidden = item and (question.hidden or (item.answer is not None and item.answer.hidden))
    if item is None or (hidden and not is_staff(request.user)):
        raise Http404(_("Cette pièce jointe n'existe pas."))
    content_type = mimetypes.guess_type(item.name)[0] or "application/octet-stream"
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response
