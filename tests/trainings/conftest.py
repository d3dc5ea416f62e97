import pytest

from tests.factories.trainings import TrainingIndexPageFactory


@pytest.fixture(autouse=True)
def migration_data(db):
    """Another module's transactional test (--reuse-db) may have flushed what migrations create."""
    from wagtail.models import Locale

    if not Locale.objects.exists():
        from tests.utils import restore_migration_data

        restore_migration_data()


@pytest.fixture
def catalogue_page(home_page):
    return TrainingIndexPageFactory(parent=home_page)
