"""Factories for the library: resource pages, documents (public or members-only), questions."""

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.models import Collection

import factory
import pytest
import wagtail_factories
from factory.django import DjangoModelFactory

from helpdesk.models import FaqEntry, Question
from resources.models import ExamplePage, GuidePage, MinutesPage, ResourceIndexPage, TenderTemplatePage
from search.models import SearchPage
from tests.factories import MemberFactory


class ResourceIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ResourceIndexPage

    title = "Ressources"
    slug = "ressources"


class SearchPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SearchPage

    title = "Recherche"
    slug = "recherche"


class GuidePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = GuidePage

    title = factory.Sequence(lambda n: f"Guide {n}")
    summary = "Des critères environnementaux prêts à l'emploi."
    year = 2024


class TenderTemplatePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = TenderTemplatePage

    title = factory.Sequence(lambda n: f"Modèle {n}")
    summary = "Un cahier des charges type."
    year = 2023


class ExamplePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ExamplePage

    title = factory.Sequence(lambda n: f"Retour d'expérience {n}")
    buyer = "Ville de Nantes"
    result = "30 % de la note sur l'environnement"
    year = 2022


class MinutesPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = MinutesPage

    title = factory.Sequence(lambda n: f"Compte rendu {n}")
    summary = "Réunion du groupe."
    year = 2025


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = get_document_model()

    title = factory.Sequence(lambda n: f"Document {n}")
    collection = factory.LazyFunction(Collection.get_first_root_node)
    file = factory.LazyAttribute(lambda o: ContentFile(b"%PDF-1.4 contenu", name="document.pdf"))


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    author = factory.SubFactory(MemberFactory)
    organisation = factory.LazyAttribute(lambda o: o.author.organisation)
    topic = factory.Sequence(lambda n: f"Question {n}")
    tender_context = "Marché de fournitures, procédure adaptée."


class FaqEntryFactory(DjangoModelFactory):
    class Meta:
        model = FaqEntry

    question = factory.Sequence(lambda n: f"Question fréquente {n} ?")
    answer = "<p>La réponse.</p>"
    published = True


def publish(page):
    """Publish ``page`` through Wagtail (revision + page_published signal), as the admin does."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def members_document(title="Document réservé"):
    from resources.services import members_documents_collection

    return DocumentFactory(title=title, collection=members_documents_collection())


@pytest.fixture
def library(home_page):
    """A bare site with the library, the search page and one working group (tests import it in
    their conftest)."""
    from tests.factories import WorkingGroupIndexPageFactory, WorkingGroupPageFactory

    index = ResourceIndexPageFactory(parent=home_page)
    SearchPageFactory(parent=home_page)
    groups = WorkingGroupIndexPageFactory(parent=home_page)
    group = WorkingGroupPageFactory(parent=groups, title="Construction", slug="construction")
    return {"index": index, "group": group, "home": home_page}


@pytest.fixture(autouse=True)
def library_editor_permissions(db):
    """What post_migrate grants the « Éditeurs » group for the library (FAQ, promoted results,
    search log): granted again here because browser tests' flushes empty the tables."""
    from search.permissions import grant_editor_permissions

    grant_editor_permissions()


WAGTAIL_DECIDES = "wagtail"  # a privacy matrix cell whose answer is Wagtail's own rule


def wagtail_allows(user, *restrictions):
    """Wagtail's own answer (``accept_request``) for ``user``: the editors' access to members-only
    content is a policy of the restriction's groups, so tests ask Wagtail instead of guessing."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user, request.session = user or AnonymousUser(), SessionStore()
    return all(restriction.accept_request(request) for restriction in restrictions)
