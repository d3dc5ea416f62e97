"""Demo evaluations: the default questionnaires, evaluation turned on for the past thematic
meetings and webinars, and answers from most of the people present at past trainings and evaluated
events, so the results screens and the report's « Satisfaction » section show figures. Runs after
the attendance demo (INSTALLED_APPS order); existing rows are kept, so running it twice leaves
the same rows."""

import datetime
import hashlib

from django.utils import timezone

from members.models import Organisation
from registrations.demo import _person, _upsert
from registrations.models import Attendance, AttendanceStatus, Occurrence, OccurrencePart, OccurrenceStatus
from registrations.models import RegistrationStatus as S
from registrations.schedule import sync_parts

from . import conf
from .defaults import ensure_defaults
from .models import Answer, EvaluationSettings, Invitation, Response, Stage, Survey
from .services import attended_registrations, evaluated_occurrences, questionnaire_for

EVALUATED_EVENT_KINDS = ("thematic", "webinar", "awareness_day", "feedback_day")
COMMENTS = [
    "Très concret, les exemples de clauses sont directement réutilisables.",
    "Un peu dense sur la deuxième journée, mais les échanges entre acheteurs étaient précieux.",
    "J'aurais aimé plus de temps sur le sourcing.",
    "Merci pour les supports, clairs et complets.",
    "Intervenants passionnants ; la salle était un peu petite.",
]


def _digest(*parts):
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()


def _answers(response, questionnaire, email):
    rows = []
    for index, (qid, kind, value) in enumerate(questionnaire.question_list()):
        byte = _digest(email, qid)[0]
        if kind == "rating":
            rows.append(
                Answer(
                    response=response, question_id=qid, question_type=kind, rating=[5, 5, 4, 4, 4, 3, 5, 2][byte % 8]
                )
            )
        elif kind == "recommend":
            rows.append(Answer(response=response, question_id=qid, question_type=kind, recommend=byte % 10 != 0))
        elif kind == "choice":
            choices = [str(c) for c in value["choices"]]
            rows.append(
                Answer(response=response, question_id=qid, question_type=kind, choice=choices[byte % len(choices)])
            )
        elif kind == "text" and byte % 3 == 0:
            rows.append(
                Answer(
                    response=response,
                    question_id=qid,
                    question_type=kind,
                    text=COMMENTS[(byte + index) % len(COMMENTS)],
                )
            )
    return rows


def _participants_of_past_trainings(now):
    """The registrations demo leaves past training runs empty (people pay for trainings): here
    eight people from member organisations took each of them and were present throughout."""
    organisations = list(Organisation.objects.current_members().order_by("name"))
    if not organisations:
        return
    for number, occurrence in enumerate(
        Occurrence.objects.filter(kind="training", status=OccurrenceStatus.SCHEDULED, end__lt=now).order_by("start")
    ):
        if not occurrence.parts.exists():
            sync_parts(occurrence)
        parts = list(OccurrencePart.objects.filter(occurrence=occurrence))
        for index in range(8):
            person = _person(index + 3 * number, organisations)
            registration = _upsert(
                occurrence,
                person.pop("email"),
                S.CONFIRMED,
                at=occurrence.start - datetime.timedelta(days=20),
                **person,
            )
            Attendance.objects.bulk_create(
                [Attendance(registration=registration, part=part, status=AttendanceStatus.PRESENT) for part in parts],
                ignore_conflicts=True,
            )


def load(demo):
    ensure_defaults()
    now = timezone.now()
    _participants_of_past_trainings(now)
    event_pages = (
        Occurrence.objects.filter(kind__in=EVALUATED_EVENT_KINDS, status=OccurrenceStatus.SCHEDULED, end__lt=now)
        .values_list("page_id", flat=True)
        .distinct()
    )
    for page_id in event_pages:
        EvaluationSettings.objects.get_or_create(page_id=page_id, defaults={"enabled": True})
    for page_id in Occurrence.objects.filter(kind="training").values_list("page_id", flat=True).distinct():
        EvaluationSettings.objects.get_or_create(
            page_id=page_id, defaults={"enabled": True, "trainer_email": "formation@reseco.fr"}
        )

    surveys = responses = 0
    past = evaluated_occurrences().filter(end__lt=now).select_related("page")
    cold_before = now - datetime.timedelta(days=conf.cold_delay_days())
    for occurrence in past:
        stages = [Stage.HOT] + (
            [Stage.COLD] if occurrence.kind in conf.cold_kinds() and occurrence.end < cold_before else []
        )
        for stage in stages:
            survey = Survey.objects.filter(occurrence=occurrence, stage=stage).first()
            if survey is None:
                questionnaire = questionnaire_for(occurrence, stage)
                if questionnaire is None:
                    continue
                opens = (
                    occurrence.end
                    if stage == Stage.HOT
                    else occurrence.end + datetime.timedelta(days=conf.cold_delay_days())
                )
                survey = Survey.objects.create(
                    occurrence=occurrence,
                    stage=stage,
                    questionnaire=questionnaire,
                    opens_at=opens,
                    closes_at=opens + datetime.timedelta(days=conf.open_days()),
                    # The demo's closed surveys count as summarised: the periodic job sends nothing.
                    summary_sent_at=opens + datetime.timedelta(days=conf.open_days()),
                )
                surveys += 1
            present = list(attended_registrations([occurrence.pk]).only("pk", "email"))
            Invitation.objects.bulk_create(
                [Invitation(survey=survey, registration=r, sent_at=survey.opens_at) for r in present],
                ignore_conflicts=True,
            )
            answered = set(Response.objects.filter(survey=survey).values_list("registration_id", flat=True))
            for registration in present:
                # About three in four answer (fewer à froid).
                if (
                    registration.pk in answered
                    or _digest(registration.email, stage)[0] % 4 == (0 if stage == Stage.HOT else 1)
                    or (stage == Stage.COLD and _digest(registration.email)[1] % 2)
                ):
                    continue
                when = min(survey.opens_at + datetime.timedelta(hours=2), now)
                response = Response.objects.create(
                    survey=survey, registration=registration, submitted_at=when, updated_at=when
                )
                Answer.objects.bulk_create(_answers(response, survey.questionnaire, registration.email))
                responses += 1
    demo.step(f"Évaluations : {surveys} questionnaire(s) ouvert(s), {responses} réponse(s) ajoutée(s).")
