from base.errors import DomainError


class PaymentError(DomainError):
    """A payment rule refused the request. See ``base.errors.DomainError``."""
