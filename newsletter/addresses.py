"""E-mail addresses as the newsletter keeps them: one spelling per person (trimmed, lower case),
refused when a header could not carry them (line breaks, over 254 characters, malformed)."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

MAX_LENGTH = 254


def normalise(email):
    return (email or "").strip().lower()


def clean_address(email):
    """The normalised address, or a French ValidationError."""
    raw = email or ""
    if any(c in raw for c in "\r\n\x00"):
        raise ValidationError(_("Une adresse électronique ne peut pas contenir de retour à la ligne."), code="invalid")
    address = normalise(raw)
    if not address:
        raise ValidationError(_("Saisissez votre adresse électronique."), code="required")
    if len(address) > MAX_LENGTH:
        raise ValidationError(
            _("Cette adresse est trop longue (%(max)d caractères au plus).") % {"max": MAX_LENGTH}, code="too_long"
        )
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(_("Saisissez une adresse électronique valide."), code="invalid") from None
    return address


def is_valid(email):
    try:
        clean_address(email)
    except ValidationError:
        return False
    return True
