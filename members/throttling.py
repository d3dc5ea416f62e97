"""Login throttling (django-axes): per account and address, and per address alone.

Axes counts failures per (e-mail, address): five wrong passwords for one account lock it out for
that address. One wrong password on each of many accounts from one address is throttled too:
past ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures from one address within the cool-off time, that
address is locked out for every account. The count is read from axes' own rows (the database),
which a successful login on an attacker's own account does not reset (axes deletes only the
rows of the account that logged in).
"""

import datetime

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from axes.models import AccessAttempt


def failure_limit(request, credentials=None):
    """``AXES_FAILURE_LIMIT``: the per-account limit, or 0 (locked) once the address is over its own."""
    per_account = getattr(settings, "LOGIN_FAILURE_LIMIT", 5)
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return per_account
    since = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    failures = (
        AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
            total=Sum("failures_since_start")
        )["total"]
        or 0
    )
    return 0 if failures >= getattr(settings, "LOGIN_ADDRESS_FAILURE_LIMIT", 20) else per_account
