"""Daily and weekly digests of new questions, built by the periodic command
``send_exchange_digests``. Each question is recorded (``Notice``) for each member in the same
transaction that moves their ``last_digest_at``: a second run finds nothing to send."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import tasks
from .models import Frequency, Notice, Preference, Question

PERIODS = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}
# cron runs every few minutes: a digest due at 7:00 goes at the first run after it
SLACK = timedelta(minutes=30)


def due(preference, now):
    period = PERIODS.get(preference.frequency)
    if period is None:
        return False
    return preference.last_digest_at is None or preference.last_digest_at <= now - period + SLACK


def _questions_for(preference, now):
    user = preference.user
    follows = list(user.exchange_follows.filter(question__isnull=True).values_list("sector_id", flat=True))
    if not follows:
        return []
    since = preference.last_digest_at or now - PERIODS[preference.frequency]
    wanted = Q() if None in follows else Q(sector_id__in=follows)
    return list(
        Question.objects.visible()
        .filter(wanted, created_at__gt=since - PERIODS[preference.frequency], created_at__lte=now)
        .exclude(author=user)
        .exclude(pk__in=Notice.objects.filter(user=user).values("question_id"))
        .order_by("created_at")
        .values_list("pk", flat=True)
    )


def send_digests(*, now=None):
    """Records and enqueues every digest due now; returns the number of digests enqueued."""
    now = now or timezone.now()
    participants = tasks.participants().values("pk")
    candidates = Preference.objects.filter(frequency__in=list(PERIODS), user__in=participants).values_list(
        "pk", flat=True
    )
    sent = 0
    for pk in list(candidates):
        with transaction.atomic():
            preference = (
                Preference.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .filter(pk=pk)
                .first()
            )
            if preference is None or not due(preference, now):
                continue  # another run holds it, or did it already
            question_ids = _questions_for(preference, now)
            Notice.objects.bulk_create(
                [Notice(user=preference.user, question_id=q, in_digest=True) for q in question_ids],
                ignore_conflicts=True,
            )
            preference.last_digest_at = now
            preference.save(update_fields=["last_digest_at"])
            if question_ids:
                user_id = preference.user_id
                transaction.on_commit(lambda u=user_id, ids=question_ids: tasks.send_digest.enqueue(u, ids))
                sent += 1
    return sent
