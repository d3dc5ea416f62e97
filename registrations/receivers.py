"""The engine tells registrants when their occurrence is cancelled or moved (signals sent by
``registrations.occurrences``)."""

from django.dispatch import receiver

from . import notices
from .signals import occurrence_cancelled, occurrence_rescheduled


@receiver(occurrence_cancelled, dispatch_uid="registrations.tell_occurrence_cancelled")
def on_occurrence_cancelled(sender, occurrence, reason="", actor=None, **kwargs):
    notices.tell_occurrence_cancelled(occurrence, reason=reason, actor=actor)


@receiver(occurrence_rescheduled, dispatch_uid="registrations.tell_occurrence_moved")
def on_occurrence_rescheduled(sender, occurrence, previous_start=None, reason="", **kwargs):
    notices.tell_occurrence_moved(occurrence, previous_start=previous_start, reason=reason)
