"""Factories for the agenda: the /agenda/ index and event pages (published through a revision,
so that Wagtail's page_published signal materialises their occurrences)."""

import datetime
from zoneinfo import ZoneInfo

import factory
import wagtail_factories

from events.models import EventExceptionDate, EventExtraDate, EventIndexPage, EventPage

PARIS = ZoneInfo("Europe/Paris")


def paris(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


class EventIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventIndexPage

    title = "Agenda"
    slug = "agenda"


class EventPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventPage

    title = factory.Sequence(lambda n: f"Événement {n}")
    kind = "thematic"
    summary = "Une rencontre du réseau."
    start = factory.LazyFunction(lambda: paris(2030, 3, 5, 9, 30))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2, minutes=30))
    location = "Maison de l'environnement, 2 rue de la Loire, 44000 Nantes"
    capacity = 30


def publish(page, *, exceptions=(), extras=()):
    """Add exception/extra dates, validate like the admin form does, and publish a revision."""
    for day in exceptions:
        page.exception_dates.add(EventExceptionDate(date=day))
    for day in extras:
        page.extra_dates.add(EventExtraDate(date=day))
    page.full_clean()
    page.save()
    page.save_revision().publish()
    page.refresh_from_db()
    return page
