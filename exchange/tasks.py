"""E-mails of the exchange, sent in the background (django-tasks), enqueued on commit: a new
question to the members who follow its sector (or everything) and want it at once; an answer to
the question's author and followers, never to the person who wrote it. Digests are built by
``send_exchange_digests`` (``digests.py``)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string

from django_tasks import task

from members.models import Organisation

from .models import Answer, ExchangeIndexPage, Frequency, Notice, Question


def site_url(path=""):
    return settings.SITE_URL.rstrip("/") + path


def exchange_url(suffix=""):
    """Absolute address of the exchange (``suffix`` relative to /entraide/)."""
    page = ExchangeIndexPage.objects.live().first()
    base = page.url_path[len(page.get_site().root_page.url_path) - 1 :] if page and page.get_site() else "/entraide/"
    return site_url(base + suffix)


def participants():
    """Accounts that may still read the exchange: active members and staff."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(organisation__in=Organisation.objects.current_members()) | Q(is_staff=True) | Q(is_superuser=True))
    )


def _subject(template, context):
    return " ".join(render_to_string(template, context).split())  # one line, whatever the title holds


def send_each(messages):
    """Send one message per recipient through one connection (no address sees another)."""
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)


@task()
def notify_new_question(question_id):
    """Members following the question's sector or everything, who chose « at once »."""
    question = Question.objects.select_related("sector", "organisation").filter(pk=question_id, hidden=False).first()
    if question is None:
        return 0
    immediate = Q(exchange_preference__isnull=True) | Q(exchange_preference__frequency=Frequency.IMMEDIATE)
    recipients = list(
        participants()
        .filter(immediate)
        .filter(
            Q(exchange_follows__sector=question.sector_id)
            | Q(exchange_follows__question__isnull=True, exchange_follows__sector__isnull=True)
        )
        .exclude(pk=question.author_id)
        .exclude(pk__in=Notice.objects.filter(question=question).values("user_id"))
        .distinct()
        .only("pk", "email", "first_name")
    )
    context = {
        "question": question,
        "url": exchange_url(f"questions/{question.pk}/"),
        "follows_url": exchange_url("abonnements/"),
    }
    messages = []
    for user in recipients:
        try:
            with transaction.atomic():
                Notice.objects.create(user=user, question=question, in_digest=False)
        except IntegrityError:  # already told (a digest or a retried task)
            continue
        messages.append(
            EmailMessage(
                _subject("exchange/email/new_question_subject.txt", context),
                render_to_string("exchange/email/new_question.txt", {**context, "recipient": user}),
                None,
                [user.email],
            )
        )
    send_each(messages)
    return len(messages)


@task()
def notify_answer(answer_id):
    """The question's author and its followers, except whoever wrote the answer."""
    reply = (
        Answer.objects.select_related("question", "organisation", "author").filter(pk=answer_id, hidden=False).first()
    )
    if reply is None:
        return 0
    question = reply.question
    recipients = list(
        participants()
        .filter(Q(pk=question.author_id) | Q(exchange_follows__question=question))
        .exclude(pk=reply.author_id)
        .distinct()
        .only("pk", "email", "first_name")
    )
    context = {
        "question": question,
        "answer": reply,
        "url": exchange_url(f"questions/{question.pk}/#reponse-{reply.pk}"),
        "follows_url": exchange_url("abonnements/"),
    }
    messages = [
        EmailMessage(
            _subject("exchange/email/new_answer_subject.txt", context),
            render_to_string(
                "exchange/email/new_answer.txt",
                {**context, "recipient": user, "is_author": user.pk == question.author_id},
            ),
            None,
            [user.email],
        )
        for user in recipients
    ]
    send_each(messages)
    return len(messages)


@task()
def send_digest(user_id, question_ids):
    """One digest e-mail: the questions the digest run recorded for this member."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    questions = list(
        Question.objects.filter(pk__in=question_ids, hidden=False)
        .select_related("sector", "organisation")
        .order_by("sector__sort_order", "-created_at")
    )
    if user is None or not questions:
        return 0
    frequency = getattr(getattr(user, "exchange_preference", None), "frequency", Frequency.DAILY)
    context = {
        "recipient": user,
        "questions": [(q, exchange_url(f"questions/{q.pk}/")) for q in questions],
        "weekly": frequency == Frequency.WEEKLY,
        "count": len(questions),
        "url": exchange_url(),
        "follows_url": exchange_url("abonnements/"),
    }
    send_each(
        [
            EmailMessage(
                _subject("exchange/email/digest_subject.txt", context),
                render_to_string("exchange/email/digest.txt", context),
                None,
                [user.email],
            )
        ]
    )
    return 1
