"""The results of one or several surveys (a run, or every run of a training): response rate,
averages and distributions per question, comments. A fixed number of SQL queries whatever the
number of participants (counts and distributions are aggregates; comments one query)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from .models import Answer, Response
from .services import anonymous_comments, attended_registrations

TENTH = Decimal("0.1")


@dataclass
class Question:
    id: str
    type: str
    label: str
    count: int = 0
    average: Decimal | None = None
    distribution: list = field(default_factory=list)  # (label, count, percent)
    comments: list = field(default_factory=list)  # (author or "", text, date)

    @property
    def chart(self):
        from .charts import distribution_chart

        return distribution_chart(f"q-{self.id}", self.label, self.distribution)


@dataclass
class Results:
    surveys: list
    invited: int
    responses: int
    questions: list
    anonymous: bool

    @property
    def rate(self):
        return percent(self.responses, self.invited)


def percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, ROUND_HALF_UP)


def results(surveys, *, with_names=None):
    """``surveys``: a list of Survey rows (questionnaire selected). Questions are those of their
    questionnaires, by block id, in order of first appearance."""
    survey_ids = [s.pk for s in surveys]
    questions = {}
    for survey in surveys:
        for qid, kind, value in survey.questionnaire.question_list():
            if qid not in questions:
                questions[qid] = (kind, value)
    page_ids = {s.occurrence.page_id for s in surveys}
    anonymous = all(anonymous_comments(pid) for pid in page_ids) if with_names is None else not with_names
    invited = attended_registrations({s.occurrence_id for s in surveys}).count() if surveys else 0
    responses = Response.objects.filter(survey_id__in=survey_ids).count() if surveys else 0
    counts = {}
    for row in (
        Answer.objects.filter(response__survey_id__in=survey_ids)
        .exclude(question_type="text")
        .values("question_id", "rating", "recommend", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        key = (
            row["rating"]
            if row["rating"] is not None
            else row["recommend"]
            if row["recommend"] is not None
            else row["choice"]
        )
        counts.setdefault(row["question_id"], {})[key] = row["n"]
    comments = {}
    texts = (
        Answer.objects.filter(response__survey_id__in=survey_ids, question_type="text")
        .select_related("response__registration")
        .order_by("response__submitted_at", "pk")
    )
    for answer in texts:
        registration = answer.response.registration
        author = "" if anonymous or registration is None else f"{registration.first_name} {registration.last_name}"
        comments.setdefault(answer.question_id, []).append((author, answer.text, answer.response.submitted_at))

    out = []
    for qid, (kind, value) in questions.items():
        question = Question(qid, kind, str(value.get("label", "")))
        these = counts.get(qid, {})
        if kind == "rating":
            question.count = sum(these.values())
            total = sum(score * n for score, n in these.items())
            if question.count:
                question.average = (Decimal(total) / question.count).quantize(Decimal("0.01"), ROUND_HALF_UP)
            question.distribution = [
                (str(score), these.get(score, 0), percent(these.get(score, 0), question.count)) for score in range(1, 6)
            ]
        elif kind == "recommend":
            question.count = sum(these.values())
            question.distribution = [
                (_("Oui"), these.get(True, 0), percent(these.get(True, 0), question.count)),
                (_("Non"), these.get(False, 0), percent(these.get(False, 0), question.count)),
            ]
        elif kind == "choice":
            question.count = sum(these.values())
            choices = [str(c) for c in value["choices"]]
            choices += [c for c in these if c not in choices]  # a choice since renamed: still counted
            question.distribution = [(c, these.get(c, 0), percent(these.get(c, 0), question.count)) for c in choices]
        else:
            question.comments = comments.get(qid, [])
            question.count = len(question.comments)
        out.append(question)
    return Results(surveys=surveys, invited=invited, responses=responses, questions=out, anonymous=anonymous)
