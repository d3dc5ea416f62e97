"""Settings of the satisfaction surveys, each with a default (override in Django settings)."""

from django.conf import settings


def always_kinds():
    """Kinds of occurrence always evaluated (other kinds only when an editor turns it on)."""
    return tuple(getattr(settings, "EVALUATIONS_ALWAYS_KINDS", ("training",)))


def cold_kinds():
    """Kinds that also get an « à froid » evaluation some months later."""
    return tuple(getattr(settings, "EVALUATIONS_COLD_KINDS", ("training",)))


def open_days():
    """How long a survey stays open after it is sent, in days."""
    return int(getattr(settings, "EVALUATIONS_OPEN_DAYS", 21))


def cold_delay_days():
    """Days between the end of a training and its « à froid » evaluation (about three months)."""
    return int(getattr(settings, "EVALUATIONS_COLD_DELAY_DAYS", 91))


def catch_up_days():
    """Dates that ended longer ago than this (before the job first ran, say) are not surveyed."""
    return int(getattr(settings, "EVALUATIONS_CATCH_UP_DAYS", 14))


TEXT_MAX_LENGTH = 2000
