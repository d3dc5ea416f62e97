from django.db import transaction
from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished

from registrations.signals import (
    occurrence_cancelled,
    occurrence_rescheduled,
    registration_cancelled,
    registration_confirmed,
)

from .caching import clear_page_cache


@receiver(page_published)
@receiver(page_unpublished)
@receiver(registration_confirmed)
@receiver(registration_cancelled)
@receiver(occurrence_cancelled)
@receiver(occurrence_rescheduled)
def clear_cache_after_change(sender, **kwargs):
    # Scheduled publishing and engine changes happen outside the admin hooks.
    transaction.on_commit(clear_page_cache)
