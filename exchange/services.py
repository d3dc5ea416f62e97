"""The exchange's rules: who takes part, asking, answering, marking helpful answers, following,
reporting, moderating, and turning a resolved thread into a FAQ entry or a library resource."""

import re
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from base.errors import DomainError
from base.staff import is_staff_account
from helpdesk.models import FaqEntry
from helpdesk.services import rich_text
from resources.models import ExamplePage, ResourceIndexPage
from resources.services import restrict_to_members

from . import conf, tasks
from .models import (
    Answer,
    Attachment,
    Follow,
    Frequency,
    ModerationAction,
    ModerationEvent,
    Preference,
    Question,
    Report,
)


class ExchangeError(DomainError):
    """An exchange rule refused the request. See ``base.errors.DomainError``."""


LINK = re.compile(r"(?:https?://|ftp://|www\.)\S+|\b[\w.-]+\.(?:com|fr|net|org|io|ru|info|biz|xyz)/\S*", re.IGNORECASE)


def may_take_part(user):
    """Members (agents of a current member body) and the staff; never suppliers or the public."""
    return bool(user and user.is_authenticated and user.is_active and (user.is_member or is_staff_account(user)))


def count_links(text):
    return len(LINK.findall(text or ""))


def check_links(text, *, field="body"):
    """A post holds at most ``MAX_LINKS_PER_POST`` links (posts full of links are spam)."""
    found = count_links(text)
    if found > conf.MAX_LINKS_PER_POST:
        raise ExchangeError(
            _("Votre message contient %(count)d liens : %(max)d au plus sont acceptés. Retirez-en quelques-uns.")
            % {"count": found, "max": conf.MAX_LINKS_PER_POST},
            code="too_many_links",
            field=field,
        )


def _require_member(user):
    if not may_take_part(user):
        raise ExchangeError(_("L'entraide est réservée aux agents des collectivités membres."), code="not_member")


def _check_rate(user, model, *, limit, since, message):
    if model.objects.filter(author=user, created_at__gte=since).count() >= limit:
        raise ExchangeError(message, code="rate_limited")


def _attach(files, **post):
    for upload in files or []:
        Attachment.objects.create(file=upload, name=upload.name[:200], size=upload.size, **post)


@transaction.atomic
def ask(author, *, title, body, sector, procedure_type, deadline=None, files=None):
    """A member asks; members who follow the sector (or everything) are told on commit."""
    _require_member(author)
    check_links(title, field="title")
    check_links(body)
    _check_rate(
        author,
        Question,
        limit=conf.MAX_QUESTIONS_PER_DAY,
        since=timezone.now() - timedelta(days=1),
        message=_("Vous avez déjà posé %(count)d questions aujourd'hui : réessayez demain.")
        % {"count": conf.MAX_QUESTIONS_PER_DAY},
    )
    question = Question.objects.create(
        author=author,
        organisation=author.organisation,
        title=title,
        body=body,
        sector=sector,
        procedure_type=procedure_type,
        deadline=deadline,
    )
    _attach(files, question=question)
    Follow.objects.get_or_create(user=author, question=question)
    transaction.on_commit(lambda: tasks.notify_new_question.enqueue(question.pk))
    return question


@transaction.atomic
def answer(question, *, author, body, files=None):
    """A member answers; the question's author and followers are told (never the one who wrote)."""
    _require_member(author)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.hidden:
        raise ExchangeError(_("Cette question a été masquée par l'équipe : on ne peut plus y répondre."), code="hidden")
    check_links(body)
    _check_rate(
        author,
        Answer,
        limit=conf.MAX_ANSWERS_PER_HOUR,
        since=timezone.now() - timedelta(hours=1),
        message=_("Trop de réponses envoyées en une heure : réessayez plus tard."),
    )
    reply = Answer.objects.create(question=question, author=author, organisation=author.organisation, body=body)
    _attach(files, answer=reply)
    question.last_activity_at = reply.created_at
    fields = ["last_activity_at"]
    if question.first_answer_at is None and author.pk != question.author_id:
        question.first_answer_at = reply.created_at
        fields.append("first_answer_at")
    question.save(update_fields=fields)
    transaction.on_commit(lambda: tasks.notify_answer.enqueue(reply.pk))
    return reply


@transaction.atomic
def mark_helpful(answer_id, *, user, helpful=True):
    """The question's author (only) marks an answer as helpful, or takes the mark back."""
    reply = Answer.objects.select_related("question").filter(pk=answer_id).first()
    if reply is None or reply.hidden or reply.question.hidden:
        raise ExchangeError(_("Cette réponse n'existe pas ou plus."), code="not_found")
    if reply.question.author_id != user.pk:
        raise ExchangeError(
            _("Seul l'auteur de la question peut indiquer les réponses qui l'ont aidé."), code="not_author"
        )
    Answer.objects.filter(pk=reply.pk).update(helpful=helpful)
    reply.helpful = helpful
    return reply


def follow(user, *, question=None, sector=None, on=True):
    """Follow (or stop following) one question, one sector, or everything (neither given)."""
    _require_member(user)
    if question is not None and sector is not None:
        raise ExchangeError(_("Suivez une question ou un secteur, pas les deux à la fois."), code="invalid")
    rows = Follow.objects.filter(user=user, question=question, sector=sector)
    if not on:
        rows.delete()
        return None
    try:
        with transaction.atomic():
            return Follow.objects.get_or_create(user=user, question=question, sector=sector)[0]
    except IntegrityError:  # a concurrent click created it
        return rows.first()


def set_frequency(user, frequency):
    if frequency not in Frequency.values:
        raise ExchangeError(_("Choisissez une fréquence dans la liste."), code="invalid", field="frequency")
    preference, _created = Preference.objects.get_or_create(user=user)
    if preference.frequency != frequency:
        preference.frequency = frequency
        if frequency in (Frequency.DAILY, Frequency.WEEKLY) and preference.last_digest_at is None:
            preference.last_digest_at = timezone.now()  # the first digest covers from now on
        preference.save(update_fields=["frequency", "last_digest_at"])
    return preference


def frequency_of(user):
    preference = Preference.objects.filter(user=user).first()
    return preference.frequency if preference else Frequency.IMMEDIATE


def report(user, *, question=None, answer=None, reason):
    """Any member reports a post once; the staff see it in the admin."""
    _require_member(user)
    reason = (reason or "").strip()
    if not reason:
        raise ExchangeError(_("Indiquez le motif du signalement."), code="required", field="reason")
    if len(reason) > 1000:
        raise ExchangeError(_("Le motif est limité à 1 000 caractères."), code="too_long", field="reason")
    if (
        Report.objects.filter(reporter=user, created_at__gte=timezone.now() - timedelta(days=1)).count()
        >= conf.MAX_REPORTS_PER_DAY
    ):
        raise ExchangeError(_("Trop de signalements aujourd'hui : réessayez demain."), code="rate_limited")
    try:
        with transaction.atomic():
            return Report.objects.create(reporter=user, question=question, answer=answer, reason=reason)
    except IntegrityError:
        raise ExchangeError(
            _("Vous avez déjà signalé ce message : l'équipe l'examine."), code="already_reported"
        ) from None


@transaction.atomic
def moderate(post, *, actor, action, reason, text=None):
    """An editor hides, restores or edits a question or an answer; the reason goes to its history
    and the post's open reports are marked handled."""
    if not is_staff_account(actor):
        raise ExchangeError(_("Réservé à l'équipe du réseau."), code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise ExchangeError(_("Indiquez le motif de la décision : il est conservé."), code="required", field="reason")
    model = type(post)
    post = model.objects.select_for_update().get(pk=post.pk)
    key = "question" if model is Question else "answer"
    event = ModerationEvent(actor=actor, action=action, reason=reason[:1000], **{key: post})
    if action == ModerationAction.HIDE:
        post.hidden = True
    elif action == ModerationAction.SHOW:
        post.hidden = False
    elif action == ModerationAction.EDIT:
        text = (text or "").strip()
        if not text:
            raise ExchangeError(_("Le texte ne peut pas être vide."), code="required", field="text")
        event.previous_text = post.body
        post.body = text[: conf.MAX_BODY_LENGTH]
    else:
        raise ExchangeError(_("Action inconnue."), code="invalid", field="action")
    post.save()
    event.save()
    Report.objects.filter(**{key: post}, handled_at__isnull=True).update(handled_at=timezone.now(), handled_by=actor)
    return event


# ----------------------------------------------------------------------- publishing a thread


def _anonymiser(question, answers):
    """Replaces the names, e-mail addresses and organisations of everyone in the thread."""
    people = [question.author] + [a.author for a in answers]
    organisations = [question.organisation] + [a.organisation for a in answers]
    replacements = []
    for person in filter(None, people):
        replacements.append((person.email, _("[adresse]")))
        for name in (person.get_full_name(), f"{person.last_name} {person.first_name}", person.last_name):
            replacements.append((name.strip(), _("[nom]")))
        replacements.append((person.first_name, _("[prénom]")))
    for organisation in filter(None, organisations):
        replacements.append((organisation.name, _("[collectivité]")))
    replacements = sorted({r for r in replacements if r[0] and len(r[0]) > 1}, key=lambda r: -len(r[0]))

    def anonymise(text):
        for value, placeholder in replacements:
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", placeholder, text, flags=re.IGNORECASE)
        return text

    return anonymise


def _thread_for_publication(question, *, anonymise):
    answers = list(
        question.answers.filter(hidden=False)
        .select_related("author", "organisation")
        .order_by("-helpful", "created_at")
    )
    if question.hidden or not any(a.helpful for a in answers):
        raise ExchangeError(_("Seul un fil résolu (une réponse marquée utile) peut être publié."), code="not_resolved")
    clean = _anonymiser(question, answers) if anonymise else (lambda text: text)
    helpful = [a for a in answers if a.helpful]

    def signed(post):
        if anonymise or post.organisation is None:
            return clean(post.body)
        return f"{post.body}\n\n— {post.organisation.name}"

    return clean(question.title), clean(question.body), [signed(a) for a in helpful]


@transaction.atomic
def draft_faq_entry(question, *, actor, anonymise=True):
    """An unpublished FAQ entry (helpdesk's public FAQ) from a resolved thread."""
    if not is_staff_account(actor):
        raise ExchangeError(_("Réservé à l'équipe du réseau."), code="forbidden")
    title, _body, answers = _thread_for_publication(question, anonymise=anonymise)
    return FaqEntry.objects.create(
        question=title[:300],
        answer="".join(rich_text(text) for text in answers),
        sector=question.sector,
        published=False,
    )


@transaction.atomic
def draft_resource(question, *, actor, anonymise=True):
    """A draft « retour d'expérience » in the library from a resolved thread: an editor rereads
    it and publishes it (members-only or public, as they decide)."""
    if not is_staff_account(actor):
        raise ExchangeError(_("Réservé à l'équipe du réseau."), code="forbidden")
    title, body, answers = _thread_for_publication(question, anonymise=anonymise)
    index = ResourceIndexPage.objects.first()
    if index is None:
        raise ExchangeError(_("La bibliothèque n'existe pas encore."), code="no_library")
    buyer = (
        _("Une collectivité membre du réseau")
        if anonymise or question.organisation is None
        else question.organisation.name
    )
    paragraphs = [("paragraph", rich_text(body))]
    paragraphs += [("paragraph", rich_text(text)) for text in answers]
    page = ExamplePage(
        title=title[:255],
        buyer=buyer[:200],
        buyer_organisation=None if anonymise else question.organisation,
        result=_("Question de l'entraide entre membres, résolue")[:300],
        summary=title[:400],
        sector=question.sector,
        body=paragraphs,
        live=False,
    )
    index.add_child(instance=page)
    page.save_revision(user=actor, log_action=True)
    return page


def visible_questions_for(user):
    """Questions ``user`` may read (members and staff: every visible question)."""
    return Question.objects.visible() if may_take_part(user) else Question.objects.none()


def followers_query(question):
    """Users who follow this question, its sector or everything."""
    return (
        Q(exchange_follows__question=question)
        | Q(exchange_follows__sector=question.sector_id)
        | Q(exchange_follows__question__isnull=True, exchange_follows__sector__isnull=True)
    )


def keep_members_only(sender, instance, **kwargs):
    """``page_published`` receiver: the exchange is members-only (Wagtail privacy, members and
    editors), whatever an editor did when creating it."""
    restrict_to_members(instance)
