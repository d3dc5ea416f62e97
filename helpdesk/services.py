"""Helpdesk services: a member asks, the staff answer, the member is told by e-mail, and an
anonymised question and answer can be turned into a FAQ entry."""

import re
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from base.errors import DomainError
from base.staff import is_staff_account
from members.account import account_changed

from . import conf, tasks
from .models import Attachment, FaqEntry, Message, Question, QuestionStatus


class HelpdeskError(DomainError):
    """A helpdesk rule refused the request. See ``base.errors.DomainError``."""


def may_ask(user):
    """Members ask questions; so may the staff (to test). Anonymous visitors and suppliers may not."""
    return user.is_authenticated and (user.is_member or is_staff_account(user))


def check_rate(user, *, now=None):
    now = now or timezone.now()
    if (
        Question.objects.filter(author=user, created_at__gte=now - timedelta(days=1)).count()
        >= conf.MAX_QUESTIONS_PER_DAY
    ):
        raise HelpdeskError(
            _("Vous avez déjà posé %(count)d questions aujourd'hui : l'équipe y répond avant d'en recevoir d'autres.")
            % {"count": conf.MAX_QUESTIONS_PER_DAY},
            code="rate_limited",
        )
    if (
        Message.objects.filter(author=user, created_at__gte=now - timedelta(hours=1)).count()
        >= conf.MAX_MESSAGES_PER_HOUR
    ):
        raise HelpdeskError(_("Trop de messages envoyés en une heure : réessayez plus tard."), code="rate_limited")


def _attach(message, files):
    for upload in files or []:
        Attachment.objects.create(message=message, file=upload, name=upload.name[:200], size=upload.size)


@transaction.atomic
def ask(author, *, topic, tender_context, body, sector=None, files=None):
    if not may_ask(author):
        raise HelpdeskError(_("L'assistance est réservée aux agents des collectivités membres."), code="not_member")
    check_rate(author)
    question = Question.objects.create(
        author=author, organisation=author.organisation, topic=topic, sector=sector, tender_context=tender_context
    )
    message = Message.objects.create(question=question, author=author, body=body)
    _attach(message, files)
    transaction.on_commit(lambda: _enqueue("notify_staff", message.pk))
    return question


@transaction.atomic
def reply(question, *, author, body, files=None, from_staff=False):
    """Add a message to the thread. A staff answer marks the question answered and tells the
    member by e-mail; a member's follow-up reopens it."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if from_staff:
        if not is_staff_account(author):
            raise HelpdeskError(_("Seule l'équipe du réseau peut répondre."), code="forbidden")
    else:
        if author.pk != question.author_id:
            raise HelpdeskError(_("Ce fil de discussion ne vous appartient pas."), code="forbidden")
        if question.status == QuestionStatus.CLOSED:
            raise HelpdeskError(_("Cette question est close : posez-en une nouvelle."), code="closed")
        check_rate(author)
    message = Message.objects.create(question=question, author=author, body=body, from_staff=from_staff)
    _attach(message, files)
    if from_staff:
        question.status = QuestionStatus.ANSWERED
        question.answered_at = question.answered_at or message.created_at
        transaction.on_commit(lambda: _enqueue("notify_member", message.pk))
    else:
        question.status = QuestionStatus.OPEN
        transaction.on_commit(lambda: _enqueue("notify_staff", message.pk))
    question.save(update_fields=["status", "answered_at"])
    return message


def close(question):
    Question.objects.filter(pk=question.pk).update(status=QuestionStatus.CLOSED)
    account_changed([question.author_id])


@transaction.atomic
def draft_faq_entry(question):
    """A FAQ entry drafted from a question and the staff's last answer, unpublished: an editor
    removes names and details, then publishes it."""
    answer = question.messages.filter(from_staff=True).order_by("-created_at").first()
    if answer is None:
        raise HelpdeskError(_("Répondez à la question avant de la publier dans la FAQ."), code="unanswered")
    existing = question.faq_entries.first()
    if existing:
        return existing
    return FaqEntry.objects.create(
        question=anonymise(question.topic, question)[:300],
        answer=rich_text(anonymise(answer.body, question)),
        sector=question.sector,
        source=question,
        published=False,
    )


def anonymise(text, question):
    """``text`` without the asking member's name, e-mail address or authority (whole words,
    any case), for a FAQ draft; an editor still rereads it."""
    author, organisation = question.author, question.organisation
    replacements = []
    if author is not None:
        replacements += [(author.email, _("[adresse]"))]
        full_name = f"{author.first_name} {author.last_name}".strip()
        names = [full_name, f"{author.last_name} {author.first_name}".strip(), author.last_name, author.first_name]
        replacements += [(name, _("[nom]")) for name in names]
    if organisation is not None:
        replacements += [(organisation.name, _("[collectivité]"))]
    for value, placeholder in replacements:
        if value and len(value) > 1:
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", placeholder, text, flags=re.IGNORECASE)
    return text


def rich_text(text):
    """Plain text as Wagtail rich text: a paragraph per blank-line-separated block, ``<br/>``
    within (the editor's converter refuses an unclosed ``<br>``, which ``linebreaks`` writes)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [block for block in re.split(r"\n\s*\n", text) if block.strip()]
    return "".join("<p>" + "<br/>".join(escape(line) for line in block.split("\n")) + "</p>" for block in paragraphs)


def _enqueue(name, message_id):
    getattr(tasks, name).enqueue(message_id)
