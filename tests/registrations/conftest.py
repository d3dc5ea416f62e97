import pytest

from tests.factories import MemberFactory
from tests.factories.registrations import OccurrenceFactory, ensure_page_tree


@pytest.fixture
def occurrence(db):
    return OccurrenceFactory(capacity=2)


@pytest.fixture
def members(db):
    return [MemberFactory() for _ in range(5)]


@pytest.fixture
def page_tree(db):
    """Wagtail's root page, restored if a transactional test flushed it (--reuse-db)."""
    ensure_page_tree()
