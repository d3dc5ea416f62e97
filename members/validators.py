"""French company identifiers: SIREN (9 digits) and SIRET (14 digits), Luhn-checked."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LA_POSTE_SIREN = "356000000"


def normalise_identifier(value):
    return re.sub(r"[\s.\-]", "", value or "")


def luhn_valid(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char)
        if index % 2 == 1:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


def validate_siren(value):
    digits = normalise_identifier(value)
    if not digits.isdigit() or len(digits) != 9:
        raise ValidationError(_("Un SIREN compte exactement 9 chiffres."), code="siren_length")
    if not luhn_valid(digits):
        raise ValidationError(
            _("Ce SIREN n'est pas valide : sa clé de contrôle ne correspond pas."), code="siren_checksum"
        )


def validate_siret(value):
    digits = normalise_identifier(value)
    if not digits.isdigit() or len(digits) != 14:
        raise ValidationError(_("Un SIRET compte exactement 14 chiffres."), code="siret_length")
    # La Poste's establishments share one SIREN; theirs follow a sum-of-digits rule instead.
    la_poste_valid = digits.startswith(LA_POSTE_SIREN) and sum(int(c) for c in digits) % 5 == 0
    # A SIRET holds its company's SIREN (9 digits, own key): a wrong one is still a wrong SIRET
    # to the person typing it, so the message speaks of the number they typed.
    if not (luhn_valid(digits[:9]) and luhn_valid(digits) or la_poste_valid):
        raise ValidationError(
            _(
                "Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas (vérifiez ses 14 chiffres ; "
                "la clé suit la formule de Luhn)."
            ),
            code="siret_checksum",
        )


def with_luhn_key(prefix):
    """Complete ``prefix`` with the digit that makes it Luhn-valid (demo data and factories)."""
    for key in "0123456789":
        if luhn_valid(prefix + key):
            return prefix + key
    raise AssertionError("unreachable")
