"""The engine tells registrants when their occurrence is cancelled or moved (signals sent by
``registrations.occurrences``)."""

from urllib.parse import urlsplit

from django.db import transaction
from django.dispatch import receiver

from wagtail.models import Page

from base.caching import SEATS, invalidate

from . import notices
from .signals import occurrence_cancelled, occurrence_rescheduled


@receiver(occurrence_cancelled, dispatch_uid="registrations.tell_occurrence_cancelled")
def on_occurrence_cancelled(sender, occurrence, reason="", actor=None, **kwargs):
    notices.tell_occurrence_cancelled(occurrence, reason=reason, actor=actor)


@receiver(occurrence_rescheduled, dispatch_uid="registrations.tell_occurrence_moved")
def on_occurrence_rescheduled(sender, occurrence, previous_start=None, reason="", **kwargs):
    notices.tell_occurrence_moved(occurrence, previous_start=previous_start, reason=reason)


def seats_changed(sender, registration, **kwargs):
    """A seat was taken or freed: the owner page's cached copies and the listings tagged
    ``SEATS`` are renewed once the transaction commits (outside the occurrence's lock)."""
    occurrence_id = registration.occurrence_id

    def renew():
        page = Page.objects.filter(occurrences__pk=occurrence_id).only("id", "url_path", "depth", "path").first()
        url = page.get_url() if page is not None else None
        invalidate(paths=[urlsplit(url).path] if url else [], tags=[SEATS])

    transaction.on_commit(renew)
