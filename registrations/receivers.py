"""The engine tells registrants when their occurrence is cancelled or moved (signals sent by
``registrations.occurrences``)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
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
    page_id = registration.occurrence.page_id

    def renew():
        path = owner_page_path(page_id)
        invalidate(paths=[path] if path else [], tags=[SEATS])

    transaction.on_commit(renew)


def owner_page_path(page_id):
    """The path of the owner page's public URL (None when it has none), remembered for as long
    as a cached page lives: a burst of registrations does not look the page up each time, and
    after a move the new path is renewed as soon as its copies made before the move expire."""
    cache = caches["default"]
    key = f"registrations:page-path:{page_id}"
    path = cache.get(key)
    if path is None:
        page = Page.objects.filter(pk=page_id).only("id", "url_path", "depth", "path").first()
        url = page.get_url() if page is not None else None
        path = urlsplit(url).path if url else ""
        cache.set(key, path, settings.PAGE_CACHE_SECONDS)
    return path or None
