"""Wagtail signals that keep occurrences in step with event pages."""

from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished

from .models import EventPage
from .services import materialise


@receiver(page_published, sender=EventPage)
def on_published(sender, instance, **kwargs):
    materialise(instance.specific)


@receiver(page_unpublished, sender=EventPage)
def on_unpublished(sender, instance, **kwargs):
    page = instance.specific
    page.live = False
    materialise(page)
