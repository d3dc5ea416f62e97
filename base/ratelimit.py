"""Rate limits on public writes and on search: a fixed window per person, counted in the shared
"default" cache (Redis when configured; per process otherwise, so each worker counts alone).

A person is the logged-in user's id, else the client's IP address: ``REMOTE_ADDR``, or behind
``PROXY_COUNT`` trusted reverse proxies the address the outermost one saw (``client_ip``, which
login throttling uses too). Logged-in members of one authority often share an office address,
so they are counted separately. Limits are ``(requests, seconds)`` per scope, from
``settings.RATE_LIMITS`` over ``DEFAULT_LIMITS``; the request past the limit gets a French 429 page.
"""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

# scope: (requests, seconds)
DEFAULT_LIMITS = {
    "register": (20, 3600),  # registration forms posted (members and guests)
    "apply": (10, 3600),  # supplier applications posted
    "search": (60, 60),  # searches
    "account": (10, 3600),  # account requests and public sign-ups posted (each sends an e-mail)
    "newsletter": (10, 3600),  # newsletter subscriptions and confirmations posted
}


def limit_for(scope):
    return getattr(settings, "RATE_LIMITS", {}).get(scope, DEFAULT_LIMITS[scope])


def client_ip(request):
    """The client's address. Behind N trusted proxies (``PROXY_COUNT``), each appending what it saw
    to X-Forwarded-For, the N-th entry from the right; anything left of it is client-supplied."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote


def _who(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def hit(request, scope, *, now=None):
    """Counts this request; returns the seconds to wait when it is over the limit, else 0."""
    requests, window = limit_for(scope)
    now = time.time() if now is None else now
    bucket = int(now // window)
    key = f"ratelimit:{scope}:{_who(request)}:{bucket}"
    cache.add(key, 0, window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window + 1)
        count = 1
    if count <= requests:
        return 0
    return max(1, int((bucket + 1) * window - now))


def too_many_requests(request, retry_after):
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "private, no-store"
    return response


def check(request, scope, *, methods=("POST",)):
    """One call in a view: the 429 response to return, or None."""
    if request.method not in methods:
        return None
    retry_after = hit(request, scope)
    return too_many_requests(request, retry_after) if retry_after else None


def rate_limit(scope, *, methods=("POST",)):
    """Decorator form of ``check`` for function views."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            return check(request, scope, methods=methods) or view(request, *args, **kwargs)

        return wrapped

    return decorator
