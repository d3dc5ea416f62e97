import pytest

from tests.factories.newsletter import letter  # noqa: F401 (shared fixture)


@pytest.fixture(autouse=True)
def _no_rate(settings):
    """Tests send as fast as they can (the production rate is a setting)."""
    settings.NEWSLETTER_RATE_PER_SECOND = 0
    settings.SITE_URL = "https://reseco.example"
