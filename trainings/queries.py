"""Catalogue queries: a fixed number of SQL queries whatever the number of trainings and runs."""

import datetime
from collections import defaultdict

from django.utils import timezone

from registrations.models import Occurrence

from .forms import CatalogueFilterForm
from .models import OCCURRENCE_KIND, TrainingPage, training_feed_url

NEXT_RUNS_SHOWN = 3


def _occurrences():
    return Occurrence.objects.filter(kind=OCCURRENCE_KIND).with_seat_counts()


def with_seats_left(occurrences):
    for occ in occurrences:
        occ.seats_left = None if occ.capacity is None else max(occ.capacity - occ.confirmed_count - occ.held_count, 0)
    return occurrences


def runs_of(page):
    """A training's runs (occurrences), upcoming first then past, with seats left."""
    now = timezone.now()
    occurrences = with_seats_left(list(_occurrences().filter(page_id=page.pk).order_by("start", "pk")))
    upcoming = [occ for occ in occurrences if occ.end >= now]
    past = [occ for occ in occurrences if occ.end < now]
    return {"upcoming": upcoming, "past": list(reversed(past))}


def _local_bound(day, *, end=False):
    if end:
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def catalogue(index_page, params):
    """Context for /formations/: the filter form and the trainings with their next runs."""
    form = CatalogueFilterForm(params or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    pages = (
        TrainingPage.objects.live()
        .public()
        .child_of(index_page)
        .defer_streamfields()
        .select_related("sector", "partner_logo")
        .order_by("title")
    )
    if filters.get("secteur"):
        pages = pages.filter(sector=filters["secteur"])
    if filters.get("format"):
        pages = pages.filter(format=filters["format"])
    pages = list(pages)

    now = timezone.now()
    occurrences = _occurrences().filter(page_id__in=[p.pk for p in pages], end__gte=now).order_by("start", "pk")
    dated = bool(filters.get("du") or filters.get("au"))
    if filters.get("du"):
        occurrences = occurrences.filter(end__gte=_local_bound(filters["du"]))
    if filters.get("au"):
        occurrences = occurrences.filter(start__lt=_local_bound(filters["au"], end=True))
    by_page = defaultdict(list)
    for occ in with_seats_left(list(occurrences)):
        by_page[occ.page_id].append(occ)

    trainings = []
    for page in pages:
        runs = by_page.get(page.pk, [])
        if dated and not runs:
            continue
        trainings.append(
            {"page": page, "next_runs": runs[:NEXT_RUNS_SHOWN], "more_runs": max(len(runs) - NEXT_RUNS_SHOWN, 0)}
        )
    # Trainings with an upcoming run first, by date; the others after, by title.
    far = timezone.make_aware(datetime.datetime.max - datetime.timedelta(days=2))
    trainings.sort(key=lambda t: t["next_runs"][0].start if t["next_runs"] else far)
    return {
        "filter_form": form,
        "filters_applied": bool(filters),
        "trainings": trainings,
        "feed_url": training_feed_url(),
    }
