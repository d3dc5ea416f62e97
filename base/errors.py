"""The family of errors a rule of the domain raises. ``code`` is stable (views, tests and API
clients rely on it); ``message`` is French and can be shown as it is; ``field`` names the form
field concerned, when there is one."""


class DomainError(Exception):
    default_code = "refused"

    def __init__(self, message, code=None, field=None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field

    def __str__(self):
        return f"{self.code}: {self.message}"
