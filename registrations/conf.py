"""Settings of the registration engine, each with its default (override in settings)."""

from django.conf import settings

from base.staff import staff_users


def promotion_cutoff_hours():
    """Waiting-list promotion stops this many hours before the start."""
    return getattr(settings, "REGISTRATIONS_PROMOTION_CUTOFF_HOURS", 24)


def lock_timeout_ms():
    """How long a registration waits for the occurrence's lock before answering "try again"."""
    return getattr(settings, "REGISTRATIONS_LOCK_TIMEOUT_MS", 3000)


def reminder_days():
    """Reminders go out this many days before the start."""
    return getattr(settings, "REGISTRATIONS_REMINDER_DAYS", 2)


def guest_confirmation_hours():
    """A guest who has not followed the e-mail link within this delay loses the registration."""
    return getattr(settings, "REGISTRATIONS_GUEST_CONFIRMATION_HOURS", 48)


def guest_rate_limit():
    """(attempts, seconds): guest sign-ups allowed per IP address and per e-mail address."""
    return getattr(settings, "REGISTRATIONS_GUEST_RATE_LIMIT", (5, 3600))


def staff_emails():
    """Who is told of new supplier applications: ``REGISTRATIONS_STAFF_EMAILS`` if set, else
    every active staff account with an address."""
    configured = getattr(settings, "REGISTRATIONS_STAFF_EMAILS", None)
    if configured is not None:
        return list(configured)

    return sorted(e for e in staff_users().values_list("email", flat=True) if e)
