from tests.factories.library import library  # noqa: F401 (shared fixture)
