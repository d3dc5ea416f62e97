"""Factories for trainings and payments: training pages with runs materialised as occurrences."""

import datetime
from decimal import Decimal

from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

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


def admin_form(runs, **extra):
    """The admin edit form's data for a training page with ``runs`` (see ``admin_run``)."""
    return nested_form_data(
        {
            "title": "Achat de textiles durables",
            "slug": "textiles-durables",
            "intro": "",
            "objectives": rich_text("Choisir des textiles labellisés."),
            "target_audience": rich_text(""),
            "prerequisites": rich_text(""),
            "duration_hours": "21",
            "programme": streamfield([]),
            "trainers": streamfield([]),
            "partner_name": "",
            "partner_url": "",
            "format": "in_person",
            "audience": "everyone",
            "price_member": "0",
            "price_non_member": "100",
            "vat_rate": "20",
            "cancellation_deadline_days": "10",
            "late_cancellation_charge": "100",
            "runs": inline_formset(runs),
            "comments": inline_formset([]),
            **extra,
        }
    )


def admin_run(day, *, end_day=None, **fields):
    start, end = day_at(day, 9), day_at(end_day or day, 17)
    return {
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": end.strftime("%Y-%m-%d %H:%M"),
        "location": "Nantes",
        "online_url": "",
        "capacity": "12",
        "seats_per_organisation": "",
        **fields,
    }
