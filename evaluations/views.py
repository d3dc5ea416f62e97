"""The survey page of the personal link: no login, one response per registration, answers
editable until the survey closes. Errors are French pages with a 4xx, and a refused submission
shows the form again with everything typed."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from base.french_dates import french_datetime

from . import services
from .services import EvaluationError, InvalidAnswers

STATUS = {"forged": 404, "expired": 410, "closed": 410, "not_open": 403, "conflict": 409}


def _refused(request, error):
    return render(
        request, "evaluations/invalid_link.html", {"message": error.message}, status=STATUS.get(error.code, 400)
    )


def _form(request, survey, registration, values, *, errors=None, saved=False, status=200):
    questions = [
        {
            "id": qid,
            "name": services.QUESTION_PREFIX + qid,
            "type": kind,
            "label": value.get("label", ""),
            "help": value.get("help_text", ""),
            "choices": [str(c) for c in value.get("choices", [])] if kind == "choice" else [],
            "value": values.get(services.QUESTION_PREFIX + qid, ""),
            "error": (errors or {}).get(qid, ""),
        }
        for qid, kind, value in survey.questionnaire.question_list()
    ]
    context = {
        "survey": survey,
        "registration": registration,
        "questionnaire": survey.questionnaire,
        "questions": questions,
        "general_error": (errors or {}).get("__all__", ""),
        "has_errors": bool(errors),
        "saved": saved,
        "answered": saved or bool(values and not errors),
        "closes": french_datetime(survey.closes_at),
        "when": french_datetime(survey.occurrence.start),
        "ratings": ["1", "2", "3", "4", "5"],
        "max_length": services.conf.TEXT_MAX_LENGTH,
    }
    return render(request, "evaluations/answer.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    now = timezone.now()
    try:
        survey, registration = services.read_token(token, now=now)
    except EvaluationError as error:
        return _refused(request, error)
    if request.method == "GET":
        return _form(request, survey, registration, services.current_answers(survey, registration))
    data = {key: request.POST.get(key, "") for key in request.POST if key.startswith(services.QUESTION_PREFIX)}
    try:
        services.submit(survey, registration, data, now=now, on_site=request.GET.get("sur_place") == "1")
    except InvalidAnswers as error:
        return _form(request, survey, registration, data, errors=error.errors, status=400)
    except EvaluationError as error:
        if error.code == "conflict":  # the form again, with what was typed
            return _form(request, survey, registration, data, errors={"__all__": error.message}, status=409)
        return _refused(request, error)
    return _form(request, survey, registration, data, saved=True)
