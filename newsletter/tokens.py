"""Signed links: the unsubscribe link never expires (it names an address and nothing else); the
confirmation link of the double opt-in expires."""

from django.core import signing

from . import conf

UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
CONFIRM_SALT = "newsletter.confirm"


def unsubscribe_token(email):
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"e": email}, compress=True)


def read_unsubscribe_token(token):
    """The address, or None for a forged or damaged token."""
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    email = data.get("e") if isinstance(data, dict) else None
    return email if isinstance(email, str) else None


def confirm_token(email):
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object({"e": email}, compress=True)


def read_confirm_token(token):
    """(address, None) or (None, "expired" | "invalid")."""
    try:
        data = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(token, max_age=conf.confirmation_seconds())
    except signing.SignatureExpired:
        return None, "expired"
    except (signing.BadSignature, ValueError, TypeError):
        return None, "invalid"
    email = data.get("e") if isinstance(data, dict) else None
    return (email, None) if isinstance(email, str) else (None, "invalid")
