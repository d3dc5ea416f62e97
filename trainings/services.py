"""Training runs become engine occurrences when a training page is published."""

from django.db import transaction

from .models import OCCURRENCE_KIND, RunOccurrence, TrainingPage


@transaction.atomic
def materialise_runs(page):
    """Upsert one engine Occurrence (kind "training") per run of the *published* ``page``.

    A run is found again through its stable ``key``: a run already materialised keeps its
    occurrence's ``original_start``, so moving its dates moves the same occurrence and keeps its
    registrations. A removed run's occurrence is cancelled if it has registrations (the engine
    never deletes those). Returns the engine's ``SyncResult``."""
    from registrations.occurrences import OccurrenceSpec, sync_occurrences

    page = TrainingPage.objects.get(pk=page.pk)  # the live version, with its current runs
    runs = list(page.runs.all())
    known = dict(
        RunOccurrence.objects.filter(key__in=[run.key for run in runs], occurrence__page_id=page.pk).values_list(
            "key", "occurrence__original_start"
        )
    )
    specs, key_by_start = [], {}
    for run in runs:
        original_start = known.get(run.key, run.start)
        if original_start in key_by_start:  # two runs starting at the same time: one occurrence
            continue
        key_by_start[original_start] = run.key
        specs.append(
            OccurrenceSpec(
                original_start=original_start,
                start=run.start,
                end=run.end,
                capacity=run.capacity,
                seats_per_organisation=run.seats_per_organisation,
                audience=page.audience,
                location=run.location,
                online_url=run.online_url,
            )
        )
    from registrations.models import Occurrence

    before = {
        pk: (start, end)
        for pk, start, end in Occurrence.objects.filter(page_id=page.pk).values_list("pk", "start", "end")
    }
    result = sync_occurrences(page, specs, kind=OCCURRENCE_KIND)
    _link_new_runs(page, key_by_start, known)
    _tell_moved(result, before)
    return result


def _tell_moved(result, before):
    """A run whose dates changed: its registrants get the updated invitation (the engine's signal)."""
    from registrations.signals import occurrence_rescheduled

    for occurrence in result.updated:
        previous = before.get(occurrence.pk)
        if previous and previous != (occurrence.start, occurrence.end) and not occurrence.is_cancelled:
            occurrence_rescheduled.send(
                sender=type(occurrence),
                occurrence=occurrence,
                previous_start=previous[0],
                previous_end=previous[1],
                actor=None,
                reason="",
            )


def _link_new_runs(page, key_by_start, known):
    from registrations.models import Occurrence

    missing = {start: key for start, key in key_by_start.items() if key not in known}
    if not missing:
        return
    occurrences = Occurrence.objects.filter(page_id=page.pk, original_start__in=list(missing))
    RunOccurrence.objects.filter(occurrence__in=occurrences).delete()
    RunOccurrence.objects.bulk_create(
        [RunOccurrence(key=missing[occ.original_start], occurrence=occ) for occ in occurrences]
    )


def on_page_published(sender, instance, **kwargs):
    if isinstance(instance, TrainingPage) or getattr(instance, "specific_class", None) is TrainingPage:
        materialise_runs(instance)
