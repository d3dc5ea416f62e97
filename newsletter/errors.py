from base.errors import DomainError


class NewsletterError(DomainError):
    default_code = "refused"
