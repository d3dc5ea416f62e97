from base.errors import DomainError


class RegistrationError(DomainError):
    """A rule of the engine refused the request. See ``base.errors.DomainError``."""
