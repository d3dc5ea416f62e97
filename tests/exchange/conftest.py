from tests.factories.exchange import exchange_page  # noqa: F401 (shared fixture)
from tests.factories.library import library, library_editor_permissions  # noqa: F401 (shared fixtures, the second autouse)
