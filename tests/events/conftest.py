import pytest

from tests.factories.events import EventIndexPageFactory


@pytest.fixture
def agenda(home_page):
    return EventIndexPageFactory(parent=home_page)
