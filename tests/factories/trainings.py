"""Factories for trainings and payments: training pages with runs materialised as occurrences."""

import datetime
from decimal import Decimal

from django.utils import timezone

import factory
import wagtail_factories

from trainings.models import TrainingIndexPage, TrainingPage, TrainingRun


class TrainingIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = TrainingIndexPage

    title = "Formations"
    slug = "formations"


class TrainingPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = TrainingPage

    title = factory.Sequence(lambda n: f"Formation {n}")
    intro = "Acheter durable, pas à pas."
    objectives = "<p>Intégrer des critères environnementaux dans un marché.</p>"
    duration_hours = Decimal("21")
    price_member = Decimal("300.00")
    price_non_member = Decimal("600.00")
    vat_rate = Decimal("20.00")


def day_at(days, hour=9, minute=0):
    """An aware datetime ``days`` from today at ``hour``:``minute`` (Paris)."""
    today = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(hour, minute)))


def add_run(page, *, start, end=None, capacity=20, location="Maison de l'ADEME, Angers", **fields):
    run = TrainingRun(
        page=page,
        start=start,
        end=end or start + datetime.timedelta(hours=8),
        capacity=capacity,
        location=location,
        **fields,
    )
    page.runs.add(run)
    return run


def publish(page):
    """Publish the page's current state (runs included): runs become occurrences."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def training_with_runs(parent, runs=((30, 3),), **fields):
    """A published training under ``parent``; ``runs`` as (days from today, number of days)."""
    page = TrainingPageFactory(parent=parent, **fields)
    for days, length in runs:
        add_run(page, start=day_at(days, 9), end=day_at(days + length - 1, 17))
    return publish(page)
