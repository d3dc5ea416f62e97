"""Shared caching of anonymous pages and public feeds.

An anonymous GET (no session cookie) of a page is the same for everyone: it is served from the
"pages" cache (Redis when configured, per-process otherwise) and marked ``public`` so a reverse
proxy can keep it too. Anything else (a logged-in person, a form that sets a CSRF cookie, the
admin) is marked ``private`` and never stored. Publishing clears the cache (and purges the
proxy through Wagtail's frontend cache when one is configured).

Any app whose data a cached page shows (seats left, a moved date) calls ``content_changed()``
after its change: the cache is emptied once the transaction commits. Base does not know who
calls it; the registration engine does so for its own facts.
"""

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.utils.cache import patch_cache_control

from wagtail.signals import page_published, page_unpublished

# Areas that are personal or post forms: never cached, whoever asks.
PRIVATE_PREFIXES = (
    "/admin/",
    "/compte/",
    "/inscriptions/",
    "/payments/",
    "/presence/",
    "/assistance/",
)


# Django's messages waiting to be shown to this visitor (cookie storage).
PENDING_MESSAGES_COOKIE = "messages"


def is_cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or PENDING_MESSAGES_COOKIE in request.COOKIES:
        return False
    return not request.path.startswith(PRIVATE_PREFIXES)


class AnonymousCacheUpdateMiddleware(UpdateCacheMiddleware):
    """First in MIDDLEWARE: stores cacheable anonymous responses; marks the others private."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.cache_alias = "pages"

    def process_response(self, request, response):
        if "Cache-Control" not in response and response.status_code == 200 and request.method in ("GET", "HEAD"):
            if is_cacheable_request(request) and not response.cookies and not _is_authenticated(request):
                patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_SECONDS)
            else:
                patch_cache_control(response, private=True, no_cache=True)
        if not is_cacheable_request(request) or response.cookies:
            return response
        return super().process_response(request, response)


class AnonymousCacheFetchMiddleware(FetchFromCacheMiddleware):
    """Last in MIDDLEWARE: answers cacheable anonymous requests from the cache."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.cache_alias = "pages"

    def process_request(self, request):
        if not is_cacheable_request(request):
            request._cache_update_cache = False
            return None
        return super().process_request(request)


def _is_authenticated(request):
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def clear_page_cache(**kwargs):
    """Seats left and listings may be a minute old, not more: any publication empties the cache."""
    caches["pages"].clear()


def content_changed(**kwargs):
    """Something a cached page shows has changed: empty the page cache once the transaction commits.
    Takes keyword arguments so that it can also be connected to any signal as a receiver."""
    transaction.on_commit(clear_page_cache)


def connect_publication_signals():
    """Publishing and unpublishing outside the admin (scheduled publishing, scripts) empty the cache."""
    for signal in (page_published, page_unpublished):
        signal.connect(content_changed, dispatch_uid=f"base.caching.content_changed.{id(signal)}")
