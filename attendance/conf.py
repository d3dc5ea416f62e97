"""Settings of the attendance app, with their defaults."""

from django.conf import settings


def network_name():
    return getattr(
        settings, "ATTENDANCE_NETWORK_NAME", "RESECO — Réseau des collectivités pour des achats responsables"
    )


def signatory():
    """Who signs attendance certificates for the network."""
    return getattr(settings, "ATTENDANCE_SIGNATORY", "Claire Administratrice, directrice du réseau")


def signatory_city():
    return getattr(settings, "ATTENDANCE_SIGNATORY_CITY", "Nantes")
