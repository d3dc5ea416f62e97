from base.errors import DomainError


class AccountError(DomainError):
    default_code = "account_refused"
