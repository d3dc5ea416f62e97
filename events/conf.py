"""Settings of the agenda, read with defaults."""

from django.conf import settings


def horizon_months():
    """How far ahead occurrences are materialised (rolling, extended by `extend_occurrences`)."""
    return getattr(settings, "EVENTS_HORIZON_MONTHS", 24)


def max_occurrences():
    """A rule giving more occurrences than this inside the horizon is refused."""
    return getattr(settings, "EVENTS_MAX_OCCURRENCES", 400)


def feed_past_days():
    """How far back public feeds go."""
    return getattr(settings, "EVENTS_FEED_PAST_DAYS", 365)


def feed_max_age():
    return getattr(settings, "EVENTS_FEED_MAX_AGE", 900)
