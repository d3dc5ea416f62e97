from django.core.exceptions import ValidationError

import pytest

from members.validators import validate_siren, validate_siret
from tests.factories import OrganisationFactory, SupplierFactory


@pytest.mark.parametrize("siren", ["732829320", "732 829 320", "552100554"])
def test_valid_siren(siren):
    validate_siren(siren)


@pytest.mark.parametrize(
    ("siren", "code"),
    [
        ("732829321", "siren_checksum"),
        ("12345678", "siren_length"),
        ("abcdefghi", "siren_length"),
        ("", "siren_length"),
        ("7328293200", "siren_length"),
        ("<script>", "siren_length"),
    ],
)
def test_invalid_siren_says_why(siren, code):
    with pytest.raises(ValidationError) as error:
        validate_siren(siren)
    assert error.value.code == code
    assert "SIREN" in error.value.messages[0]


@pytest.mark.parametrize("siret", ["73282932000074", "552 100 554 00013", "35600000000048", "35600000000010"])
def test_valid_siret_including_la_poste(siret):
    validate_siret(siret)


@pytest.mark.parametrize(
    ("siret", "code"),
    [
        ("73282932000075", "siret_checksum"),
        ("7328293200007", "siret_length"),
        ("73282932100074", "siret_checksum"),  # its first nine digits are not a valid SIREN
        ("35600000000011", "siret_checksum"),
        ("' OR 1=1 --", "siret_length"),
    ],
)
def test_invalid_siret_says_why(siret, code):
    with pytest.raises(ValidationError) as error:
        validate_siret(siret)
    assert error.value.code == code
    # The person typed a SIRET: the message speaks of it, never of a SIREN they did not type.
    assert "SIRET" in error.value.messages[0] and "SIREN " not in error.value.messages[0]
    if code == "siret_checksum":
        assert "14 chiffres" in error.value.messages[0] and "Luhn" in error.value.messages[0]


@pytest.mark.django_db
def test_model_validation_refuses_invalid_identifiers():
    organisation = OrganisationFactory.build(siren="123456789")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "siren" in error.value.message_dict
    supplier = SupplierFactory.build(siret="12345678901234")
    with pytest.raises(ValidationError) as error:
        supplier.full_clean()
    assert "siret" in error.value.message_dict


@pytest.mark.django_db
def test_membership_end_before_start_is_refused():
    import datetime

    organisation = OrganisationFactory.build(
        member_since=datetime.date(2020, 1, 1), member_until=datetime.date(2019, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "member_until" in error.value.message_dict
