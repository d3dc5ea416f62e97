import pytest

from tests.factories import MemberFactory
from tests.factories.registrations import OccurrenceFactory


@pytest.fixture
def occurrence(db):
    return OccurrenceFactory(capacity=2)


@pytest.fixture
def members(db):
    return [MemberFactory() for _ in range(5)]
