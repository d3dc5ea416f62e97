"""Training runs become engine occurrences when a training page is published."""

from registrations import occurrences

from .models import TrainingPage


def materialise_runs(page, *, now=None):
    """Keep one engine Occurrence (kind "training") per run of the *published* ``page``, found
    again through the run's stable key: moving a run's dates moves the same occurrence and keeps
    its registrations (who are told); a removed run's occurrence is cancelled if it has
    registrations. Returns the engine's ``SyncResult``."""
    page = TrainingPage.objects.get(pk=page.pk)  # the live version, with its current runs
    return occurrences.materialise(page, now=now)


def on_page_published(sender, instance, **kwargs):
    if isinstance(instance, TrainingPage) or getattr(instance, "specific_class", None) is TrainingPage:
        materialise_runs(instance)
