"""Settings of the newsletter, with their defaults."""

from django.conf import settings


def batch_size():
    """Deliveries one task sends before handing over to the next task."""
    return getattr(settings, "NEWSLETTER_BATCH_SIZE", 200)


def rate_per_second():
    """The most messages sent per second by one worker (0: no limit)."""
    return getattr(settings, "NEWSLETTER_RATE_PER_SECOND", 10)


def hard_failure_limit():
    """Hard failures (5xx at send time) after which an address is suspended."""
    return getattr(settings, "NEWSLETTER_HARD_FAILURES", 3)


def confirmation_seconds():
    return getattr(settings, "NEWSLETTER_CONFIRMATION_HOURS", 48) * 3600


def unsubscribe_mailto():
    """An optional address for ``List-Unsubscribe: <mailto:…>`` (empty: https only)."""
    return getattr(settings, "NEWSLETTER_UNSUBSCRIBE_MAILTO", "")


def stalled_seconds():
    """A sending with pending deliveries and no progress for this long is resumed by the periodic job."""
    return getattr(settings, "NEWSLETTER_STALLED_SECONDS", 300)
