"""Shared by the grouped purchases' tests: an index with one purchase (call open until
31 March 2026, two lots), and a member of another body."""

import pytest

from tests.factories import MemberFactory
from tests.factories.jointpurchases import make_index, make_purchase


@pytest.fixture
def purchase(home_page):
    return make_purchase(make_index(home_page))


@pytest.fixture
def member():
    return MemberFactory(email="agent@nantes.fr", first_name="Sophie", last_name="Le Goff")
