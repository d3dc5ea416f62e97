class RegistrationError(Exception):
    """A rule of the engine refused the request. ``code`` is stable (tests and views rely on it);
    ``message`` is French and can be shown to the person as it is."""

    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return f"{self.code}: {self.message}"
