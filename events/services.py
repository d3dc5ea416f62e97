"""Keeping an event's occurrence rows in step with its page (publish, unpublish, edit, move)."""

from django.db import transaction
from django.utils import timezone

from registrations import occurrences
from registrations.models import Occurrence

from .models import SeriesState
from .schedule import fingerprint


@transaction.atomic
def materialise(page, *, now=None):
    """Sync ``page``'s occurrences with its schedule (none when it is not live) and bump the
    series' SEQUENCE when its times, rule or status changed. Returns the SyncResult."""
    result = occurrences.materialise(page, now=now)
    exceptions, extras = page.schedule_dates()
    digest = fingerprint(page, exception_dates=exceptions, extra_dates=extras)
    state, created = SeriesState.objects.select_for_update().get_or_create(
        page_id=page.pk, defaults={"fingerprint": digest}
    )
    if not created and state.fingerprint != digest:
        state.fingerprint = digest
        state.sequence += 1
        state.save()
    return result


def touch(page):
    """Mark the page's occurrences as changed (feeds' validators), e.g. after a move."""
    Occurrence.objects.filter(page_id=page.pk).update(updated_at=timezone.now())
