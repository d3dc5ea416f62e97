"""Factories for the agenda: the /agenda/ index and event pages (published through a revision,
so that Wagtail's page_published signal materialises their occurrences)."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import factory
import wagtail_factories

from events.models import EventExceptionDate, EventExtraDate, EventIndexPage, EventPage

PARIS = ZoneInfo("Europe/Paris")
_numbers = itertools.count()


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


def make_events(agenda, count, *, recurring=0, start=None):
    """``count`` live event pages with their occurrences (``recurring`` of them monthly series
    of 12 dates), created without revisions to stay fast. Wagtail's reference index (which
    page uses which) is not kept for them: no test of many events reads it, and it was a fifth
    of the time of each page."""
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from events.services import materialise

    start = start or paris(2030, 1, 7, 14)
    pages = []
    with disable_reference_index_auto_update():
        for n in range(count):
            begin = start + datetime.timedelta(days=n % 300, hours=n % 3)
            page = EventPageFactory.build(
                title=f"Rencontre {next(_numbers)}",
                start=begin,
                end=begin + datetime.timedelta(hours=2),
                kind=["thematic", "webinar", "awareness_day"][n % 3],
            )
            if n < recurring:
                page.repeat, page.repeat_count = "monthly_day", 12
            agenda.add_child(instance=page)
            materialise(page)
            pages.append(page)
    return pages
