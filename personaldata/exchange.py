"""The members' exchange in the personal-data export and erasure: a person's questions, answers
and follows are exported; erasure takes their name out of what they wrote (and what others
wrote to them) and forgets what they followed, while the threads stay readable and the
activity report's figures stay the same (posts keep their organisation)."""

import re

from django.db.models import Prefetch, Q

from exchange.models import Answer, Attachment, Follow, Notice, Preference, Question, Report, attachment_path

from .registry import register


def _files(post):
    return [a.name for a in post.attachments.all()]


@register("entraide", order=55)
def exchange(user):
    questions = (
        Question.objects.filter(author=user)
        .select_related("sector")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )
    answers = (
        Answer.objects.filter(author=user)
        .select_related("question")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )
    follows = Follow.objects.filter(user=user).select_related("question", "sector").order_by("pk")
    preference = Preference.objects.filter(user=user).first()
    return {
        "questions": [
            {
                "question": q.title,
                "precisions": q.body,
                "secteur": q.sector.name,
                "procedure": q.get_procedure_type_display(),
                "echeance": q.deadline,
                "posee_le": q.created_at,
                "masquee": q.hidden,
                "pieces_jointes": _files(q),
            }
            for q in questions
        ],
        "reponses": [
            {
                "question": a.question.title,
                "reponse": a.body,
                "utile": a.helpful,
                "envoyee_le": a.created_at,
                "masquee": a.hidden,
                "pieces_jointes": _files(a),
            }
            for a in answers
        ],
        "abonnements": [
            {"question": f.question.title}
            if f.question_id
            else {"secteur": f.sector.name}
            if f.sector_id
            else {"tout": True}
            for f in follows
        ],
        "frequence_des_courriels": preference.get_frequency_display() if preference else None,
    }


def anonymise(user, redact):
    """Erasure: the person's identifiers leave the texts of their threads; their follows,
    preference and notices go; reports they made lose their author."""
    posts = Q(author=user)
    threads = Q(author=user) | Q(answers__author=user)
    for question in Question.objects.filter(threads).distinct().only("pk", "title", "body"):
        title, body = redact(question.title), redact(question.body)
        if (title, body) != (question.title, question.body):
            Question.objects.filter(pk=question.pk).update(title=title, body=body)
    for answer in Answer.objects.filter(posts | Q(question__author=user)).only("pk", "body"):
        body = redact(answer.body)
        if body != answer.body:
            Answer.objects.filter(pk=answer.pk).update(body=body)
    for attachment in Attachment.objects.filter(Q(question__author=user) | Q(answer__author=user)).only(
        "pk", "name", "file"
    ):
        name, stored = redact(attachment.name), attachment.file.name
        if name != attachment.name or redact(stored) != stored:
            # the stored path keeps the uploaded file's name (spaces made "_"): store it again under the clean one
            storage = attachment.file.storage
            with storage.open(stored) as content:
                new_path = storage.save(attachment_path(attachment, re.sub(r"[^\w.-]+", "-", name)), content)
            storage.delete(stored)
            stored = new_path
        if name != attachment.name or stored != attachment.file.name:
            Attachment.objects.filter(pk=attachment.pk).update(name=name, file=stored)
    Follow.objects.filter(user=user).delete()
    Preference.objects.filter(user=user).delete()
    Notice.objects.filter(user=user).delete()
    Report.objects.filter(reporter=user).update(reporter=None)
