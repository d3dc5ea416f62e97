from tests.factories.library import library, library_editor_permissions  # noqa: F401 (shared fixtures, the second autouse)
