"""The rules of the satisfaction surveys: which dates are evaluated and with which questionnaire,
the personal links, answering (one response per registration, updated until the survey closes),
and the periodic work (opening surveys, inviting the people present, closing with a summary).

Generic over owner pages: an occurrence points at its page; settings are per page."""

import datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from base.errors import DomainError
from base.french_dates import french_datetime
from registrations.models import Occurrence, OccurrenceStatus, Registration
from registrations.models.attendance import attended_exists
from registrations.models.registrations import new_token

from . import conf
from .models import ANY_KIND, Answer, EvaluationSettings, Invitation, Questionnaire, Response, Stage, Survey

TOKEN_SALT = "evaluations.survey"
# A link is refused past this age whatever its survey (a survey is open a few weeks at most).
TOKEN_MAX_AGE = datetime.timedelta(days=400)
QUESTION_PREFIX = "q-"


class EvaluationError(DomainError):
    default_code = "refused"


# -- which dates, which questionnaire -------------------------------------------------------------


def evaluated_occurrences():
    """Occurrences whose page is evaluated: the kinds always evaluated (trainings), and the pages
    an editor turned it on for."""
    enabled = EvaluationSettings.objects.filter(page_id=OuterRef("page_id"), enabled=True)
    return Occurrence.objects.filter(status=OccurrenceStatus.SCHEDULED).filter(
        Q(kind__in=conf.always_kinds()) | Exists(enabled)
    )


def is_evaluated(occurrence):
    return evaluated_occurrences().filter(pk=occurrence.pk).exists()


def questionnaire_for(occurrence, stage):
    """The page's own questionnaire for ``stage``, else the default of the occurrence's kind,
    else the default for every kind; None when there is none."""
    page_settings = EvaluationSettings.objects.filter(page_id=occurrence.page_id).first()
    if page_settings is not None:
        chosen = page_settings.questionnaire if stage == Stage.HOT else page_settings.cold_questionnaire
        if chosen is not None:
            return chosen
    defaults = {
        q.default_for_kind: q
        for q in Questionnaire.objects.filter(stage=stage, default_for_kind__in=[occurrence.kind, ANY_KIND])
    }
    return defaults.get(occurrence.kind) or defaults.get(ANY_KIND)


def ensure_survey(occurrence, stage=Stage.HOT, *, now=None):
    """The survey of ``occurrence`` at ``stage``, created when missing (None when no
    questionnaire applies). Safe under concurrency: one survey per occurrence and stage."""
    now = now or timezone.now()
    survey = Survey.objects.filter(occurrence=occurrence, stage=stage).first()
    if survey is not None:
        return survey
    questionnaire = questionnaire_for(occurrence, stage)
    if questionnaire is None:
        return None
    opens_at = (
        occurrence.end if stage == Stage.HOT else occurrence.end + datetime.timedelta(days=conf.cold_delay_days())
    )
    opens_at = min(opens_at, now)  # offered on the spot (check-in of the last day): open from now
    closes_at = max(opens_at, now) + datetime.timedelta(days=conf.open_days())
    try:
        with transaction.atomic():
            return Survey.objects.create(
                occurrence=occurrence, stage=stage, questionnaire=questionnaire, opens_at=opens_at, closes_at=closes_at
            )
    except IntegrityError:  # created meanwhile by another request or job
        return Survey.objects.get(occurrence=occurrence, stage=stage)


# -- personal links ---------------------------------------------------------------------------


def survey_token(survey, registration):
    """The signed, personal token of a survey's link: no login needed."""
    return signing.dumps({"s": survey.pk, "r": registration.pk, "t": _fingerprint(registration)}, salt=TOKEN_SALT)


def _fingerprint(registration):
    """Ties a link to the registration's secret without revealing it (the payload is readable)."""
    return salted_hmac(TOKEN_SALT, registration.token).hexdigest()[:16]


def read_token(token, *, now=None):
    """(survey, registration) of a link, or EvaluationError: ``forged`` (tampered or unknown),
    ``expired`` (too old), ``closed`` (the survey has closed; the error carries the survey)."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        survey_id, registration_id, secret = int(data["s"]), int(data["r"]), str(data["t"])
    except signing.SignatureExpired:
        raise EvaluationError(_("Ce lien d'évaluation a expiré."), code="expired") from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise EvaluationError(
            _("Ce lien d'évaluation n'est pas valide. Vérifiez qu'il est complet, ou utilisez celui de votre e-mail."),
            code="forged",
        ) from None
    survey = Survey.objects.select_related("occurrence__page", "questionnaire").filter(pk=survey_id).first()
    registration = Registration.objects.filter(pk=registration_id, occurrence_id=getattr(survey, "occurrence_id", None))
    registration = registration.first()
    if survey is None or registration is None or not constant_time_compare(_fingerprint(registration), secret):
        raise EvaluationError(_("Ce lien d'évaluation ne correspond à aucune évaluation."), code="forged")
    check_open(survey, now=now)
    return survey, registration


def check_open(survey, *, now=None):
    now = now or timezone.now()
    if now >= survey.closes_at:
        raise EvaluationError(
            _("Cette évaluation est close depuis le %(date)s : les réponses ne sont plus acceptées. Merci !")
            % {"date": french_datetime(survey.closes_at)},
            code="closed",
        )
    if now < survey.opens_at:
        raise EvaluationError(
            _("Cette évaluation ouvrira le %(date)s.") % {"date": french_datetime(survey.opens_at)}, code="not_open"
        )


# -- answering --------------------------------------------------------------------------------


def parse_answers(questionnaire, data):
    """Checks the posted ``data`` (``q-<question id>`` keys) against the questions. Returns
    (answers, errors): answers as Answer kwargs by question id; errors as French messages by
    question id (``"__all__"`` for unknown questions)."""
    questions = {qid: (kind, value) for qid, kind, value in questionnaire.question_list()}
    answers, errors = {}, {}
    unknown = [key for key in data if key.startswith(QUESTION_PREFIX) and key[len(QUESTION_PREFIX) :] not in questions]
    if unknown:
        errors["__all__"] = _(
            "Le questionnaire a changé depuis l'ouverture de cette page : une question n'existe plus. "
            "Vos réponses sont conservées ci-dessous ; vérifiez-les et envoyez à nouveau."
        )
    for qid, (kind, value) in questions.items():
        raw = data.get(QUESTION_PREFIX + qid, "")
        raw = raw.strip() if isinstance(raw, str) else ""
        if not raw:
            continue
        if kind == "rating":
            if raw not in {"1", "2", "3", "4", "5"}:
                errors[qid] = _("Choisissez une note entre 1 et 5.")
                continue
            answers[qid] = {"question_type": kind, "rating": int(raw)}
        elif kind == "recommend":
            if raw not in ("oui", "non"):
                errors[qid] = _("Répondez par oui ou par non.")
                continue
            answers[qid] = {"question_type": kind, "recommend": raw == "oui"}
        elif kind == "choice":
            if raw not in [str(c) for c in value["choices"]]:
                errors[qid] = _("Choisissez l'une des réponses proposées.")
                continue
            answers[qid] = {"question_type": kind, "choice": raw}
        elif kind == "text":
            if len(raw) > conf.TEXT_MAX_LENGTH:
                errors[qid] = _(
                    "Votre réponse dépasse %(max)s caractères (elle en compte %(count)s) : raccourcissez-la."
                ) % {
                    "max": conf.TEXT_MAX_LENGTH,
                    "count": len(raw),
                }
                continue
            answers[qid] = {"question_type": kind, "text": raw}
    if not answers and not errors:
        errors["__all__"] = _("Répondez à au moins une question avant d'envoyer.")
    return answers, errors


class InvalidAnswers(EvaluationError):
    default_code = "invalid"

    def __init__(self, errors):
        first = errors.get("__all__") or next(iter(errors.values()))
        super().__init__(first, code="invalid")
        self.errors = errors


def submit(survey, registration, data, *, now=None, on_site=False):
    """Records ``registration``'s answers to ``survey``: the first time creates the response,
    later times replace its answers (until the survey closes). Two submissions at once are
    serialised on the registration's row: the second updates what the first created.
    Returns (response, created)."""
    now = now or timezone.now()
    answers, errors = parse_answers(survey.questionnaire, data)
    if errors:
        raise InvalidAnswers(errors)
    try:
        with transaction.atomic():
            return _save(survey, registration, answers, now=now, on_site=on_site)
    except IntegrityError:  # only without the lock (another database?): the other submission won
        raise EvaluationError(
            _("Vos réponses viennent d'être envoyées depuis une autre fenêtre : rechargez la page pour les voir."),
            code="conflict",
        ) from None


def _lock_registration(registration):
    """Lock the person's registration row: concurrent submissions for it wait for each other."""
    Registration.objects.select_for_update().filter(pk=registration.pk).first()


def _save(survey, registration, answers, *, now, on_site):
    _lock_registration(registration)
    survey = Survey.objects.get(pk=survey.pk)
    check_open(survey, now=now)  # closed meanwhile: refused, nothing written
    response = Response.objects.filter(survey=survey, registration=registration).first()
    created = response is None
    if created:
        response = Response.objects.create(
            survey=survey, registration=registration, submitted_at=now, updated_at=now, on_site=on_site
        )
    else:
        response.updated_at = now
        response.save(update_fields=["updated_at"])
        response.answers.all().delete()
    Answer.objects.bulk_create([Answer(response=response, question_id=qid, **a) for qid, a in answers.items()])
    return response, created


def current_answers(survey, registration):
    """The person's stored answers as the form's initial values (``q-<id>`` → text)."""
    values = {}
    rows = Answer.objects.filter(response__survey=survey, response__registration=registration)
    for answer in rows:
        if answer.question_type == "rating":
            value = str(answer.rating or "")
        elif answer.question_type == "recommend":
            value = "" if answer.recommend is None else ("oui" if answer.recommend else "non")
        else:
            value = answer.choice or answer.text
        values[QUESTION_PREFIX + answer.question_id] = value
    return values


# -- the periodic job -------------------------------------------------------------------------


def attended_registrations(occurrence_ids):
    """Registrations present (or late) at least once on these occurrences, never cancelled ones."""
    return (
        Registration.objects.filter(occurrence_id__in=occurrence_ids)
        .exclude(status="cancelled")
        .filter(attended_exists())
    )


def open_due_surveys(*, now=None):
    """Creates the surveys that are due: « à chaud » at the end of the last day, « à froid » some
    months after a training. Returns the number created."""
    now = now or timezone.now()
    window = datetime.timedelta(days=conf.catch_up_days())
    created = 0
    hot = evaluated_occurrences().filter(end__lte=now, end__gte=now - window).exclude(surveys__stage=Stage.HOT)
    cold_end = now - datetime.timedelta(days=conf.cold_delay_days())
    cold = (
        evaluated_occurrences()
        .filter(kind__in=conf.cold_kinds(), end__lte=cold_end, end__gte=cold_end - window)
        .exclude(surveys__stage=Stage.COLD)
    )
    for stage, occurrences in ((Stage.HOT, hot), (Stage.COLD, cold)):
        for occurrence in occurrences:
            if ensure_survey(occurrence, stage, now=now) is not None:
                created += 1
    return created


def people_to_invite(survey):
    """The people present at the survey's date who have not been sent its link yet."""
    already = Invitation.objects.filter(survey=survey, registration=OuterRef("pk"))
    return attended_registrations([survey.occurrence_id]).exclude(Exists(already))


def confirm_invitations(survey, *, actor, now=None):
    """An editor, having seen who they are, lets the survey's link go to the people present."""
    now = now or timezone.now()
    Survey.objects.filter(pk=survey.pk, invitations_confirmed_at__isnull=True).update(
        invitations_confirmed_at=now, invitations_confirmed_by=actor
    )
    return send_invitations(now=now)


def send_invitations(*, now=None):
    """Invites, once each, the people present at the occurrences of the open surveys. Each
    invitation is recorded before its e-mail is enqueued (on commit): running twice sends nothing
    twice. Returns the number of invitations."""
    from .tasks import send_survey_invitations  # the task reads these services: loaded on use

    now = now or timezone.now()
    sent = 0
    open_surveys = Survey.objects.filter(
        opens_at__lte=now, closes_at__gt=now, invitations_confirmed_at__isnull=False
    ).values_list("pk", flat=True)
    for survey_id in list(open_surveys):
        with transaction.atomic():
            survey = Survey.objects.select_for_update(skip_locked=True).filter(pk=survey_id).first()
            if survey is None:  # another run is inviting for it now
                continue
            ids = list(people_to_invite(survey).values_list("pk", flat=True))
            if not ids:
                continue
            Invitation.objects.bulk_create(
                [Invitation(survey=survey, registration_id=pk, sent_at=now) for pk in ids], ignore_conflicts=True
            )
            transaction.on_commit(lambda s=survey.pk, r=ids: send_survey_invitations.enqueue(s, r))
            sent += len(ids)
    return sent


def close_due_surveys(*, now=None):
    """Marks closed surveys as summarised and sends their summary to the trainer (once).
    Returns the number of summaries sent."""
    from .tasks import send_survey_summary

    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        due = Survey.objects.select_for_update(skip_locked=True).filter(
            closes_at__lte=now, summary_sent_at__isnull=True
        )
        for survey in due:
            Survey.objects.filter(pk=survey.pk).update(summary_sent_at=now)
            transaction.on_commit(lambda s=survey.pk: send_survey_summary.enqueue(s))
            count += 1
    return count


def trainer_email(page_id):
    return EvaluationSettings.objects.filter(page_id=page_id).values_list("trainer_email", flat=True).first() or ""


def anonymous_comments(page_id):
    value = EvaluationSettings.objects.filter(page_id=page_id).values_list("anonymous_comments", flat=True).first()
    return True if value is None else value


# -- personal data ----------------------------------------------------------------------------


def detach_responses(registration_ids, redact=None):
    """At erasure: the responses of these registrations lose their link to the person, their free
    texts are cleaned of the person's name and address; the answers (and averages) stay."""
    responses = Response.objects.filter(registration_id__in=list(registration_ids))
    response_ids = list(responses.values_list("pk", flat=True))
    if not response_ids:
        return 0
    if redact is not None:
        for answer in Answer.objects.filter(response_id__in=response_ids).exclude(text=""):
            cleaned = redact(answer.text)
            if cleaned != answer.text:
                Answer.objects.filter(pk=answer.pk).update(text=cleaned)
    # The person's old survey links stop working (they would start a second response): a link
    # carries a fingerprint of the registration's secret, which changes.
    for registration_id in set(responses.values_list("registration_id", flat=True)):
        Registration.objects.filter(pk=registration_id).update(token=new_token())
    return Response.objects.filter(pk__in=response_ids).update(registration=None)


def export_for(user):
    """The person's responses (for the personal-data export): one query for the responses, one
    for their answers."""
    responses = list(
        Response.objects.filter(registration__user=user)
        .select_related("survey__occurrence__page", "survey__questionnaire")
        .prefetch_related("answers")
        .order_by("submitted_at", "pk")
    )
    rows = []
    for response in responses:
        labels = {
            qid: str(value.get("label", "")) for qid, _kind, value in response.survey.questionnaire.question_list()
        }
        rows.append(
            {
                "activite": response.survey.occurrence.page.title,
                "date": response.survey.occurrence.start,
                "moment": response.survey.stage,
                "envoyee_le": response.submitted_at,
                "modifiee_le": response.updated_at,
                "reponses": [
                    {
                        "question": labels.get(a.question_id, a.question_id),
                        "note": a.rating,
                        "recommande": a.recommend,
                        "choix": a.choice,
                        "texte": a.text,
                    }
                    for a in sorted(response.answers.all(), key=lambda a: a.pk)
                ],
            }
        )
    return rows
