"""Factories and fixtures of the members' exchange (« Entraide »)."""

import factory
import pytest
from factory.django import DjangoModelFactory

from exchange.models import Answer, ExchangeIndexPage, Question
from sectors.models import Sector
from tests.factories import MemberFactory


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    author = factory.SubFactory(MemberFactory)
    organisation = factory.LazyAttribute(lambda q: q.author.organisation)
    title = factory.Sequence(lambda n: f"Question sur un marché n° {n}")
    body = "Comment rédiger le critère environnemental ?"
    sector = factory.LazyFunction(lambda: Sector.objects.get(slug="alimentation-restauration"))
    procedure_type = "mapa"


class AnswerFactory(DjangoModelFactory):
    class Meta:
        model = Answer

    question = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory(MemberFactory)
    organisation = factory.LazyAttribute(lambda a: a.author.organisation)
    body = "Nous avons pondéré l'environnement à 20 %."


@pytest.fixture
def exchange_page(home_page):
    """/entraide/, published (which makes it members-only)."""
    page = ExchangeIndexPage(title="Entraide entre membres", slug="entraide")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page
