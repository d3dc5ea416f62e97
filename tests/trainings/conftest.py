import pytest

from tests.factories.trainings import TrainingIndexPageFactory


@pytest.fixture
def catalogue_page(home_page):
    return TrainingIndexPageFactory(parent=home_page)
