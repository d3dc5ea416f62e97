"""Factories for the registration engine (occurrences owned by any page, registrations)."""

import datetime

from django.utils import timezone

import factory
from factory.django import DjangoModelFactory

from members.audience import Audience
from registrations.models import Occurrence, Registration, RegistrationStatus
from tests.factories import StandardPageFactory


def ensure_page_tree():
    """Wagtail's root page and our groups, restored if a transactional test flushed them (--reuse-db)."""
    from wagtail.models import Page

    from tests.utils import restore_migration_data

    if Page.get_first_root_node() is None:
        restore_migration_data()


def _owner_page():
    from wagtail.models import Page

    ensure_page_tree()
    return StandardPageFactory(parent=Page.get_first_root_node())


class OccurrenceFactory(DjangoModelFactory):
    class Meta:
        model = Occurrence

    page = factory.LazyFunction(_owner_page)
    kind = "thematic"
    start = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=10))
    original_start = factory.SelfAttribute("start")
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=3))
    capacity = 20
    audience = Audience.MEMBERS
    location = "Hôtel de Région, 1 rue de la Loire, Nantes"


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    occurrence = factory.SubFactory(OccurrenceFactory)
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Inscrite{n}")
    email = factory.Sequence(lambda n: f"inscrit{n}@exemple.fr")
    status = RegistrationStatus.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)
