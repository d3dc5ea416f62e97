"""Shared caching of anonymous pages and public feeds.

An anonymous GET (no session cookie) of a page is the same for everyone: it is served from the
"pages" cache (Redis when configured, per-process otherwise) and marked ``public`` so a reverse
proxy can keep it too. Anything else (a logged-in person, a form that sets a CSRF cookie, the
admin) is marked ``private`` and never stored. Publishing clears the cache (and purges the
proxy through Wagtail's frontend cache when one is configured).

Invalidation is targeted: every cached response is stored under a key that includes data
versions (random tokens kept in the same cache), one for its own path and one per *tag* that
apps attach to paths (``tag_path("/agenda/", "seats")``; ``tag_prefix("/calendrier/", "feeds")``).
``invalidate(paths=…, tags=…)`` replaces those tokens once the transaction commits: the responses
stored under the old ones are never served again and simply expire. A registration thus renews
its owner page and the listings that show seats, and every other cached page and feed keeps being
served. Tokens are random (never a counter), so a token evicted from the cache can never bring an
old response back. Template fragments use the same versions (``data_version``).

``content_changed()`` (and publishing) still empties the whole cache: for changes whose reach is
not known. Base does not know who calls either; the registration engine does so for its own facts.
"""

import copy
import secrets

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import QueryDict
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.utils.cache import patch_cache_control

from wagtail.signals import page_published, page_unpublished

# Areas that are personal or post forms: never cached, whoever asks. The health check too: it must
# reach the database every time (and skips the cache lookup).
PRIVATE_PREFIXES = (
    "/healthz",
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


# The tag of the pages that show seats left (beside each owner page, which has its own version).
SEATS = "seats"
# The tag of what every page shows from the site's settings (the footer).
SITE = "site"
# The tag of what shows dates (feeds' validators, the agenda's listing): renewed with the whole
# cache (publication, a date cancelled or moved).
DATES = "dates"

_EXACT_TAGS = {}
_PREFIX_TAGS = []


def tag_path(path, tag):
    """Responses for exactly ``path`` (any query string) depend on ``tag`` (e.g. "seats")."""
    _EXACT_TAGS.setdefault(path, set()).add(tag)


def tag_prefix(prefix, tag):
    """Responses for every path under ``prefix`` depend on ``tag`` (e.g. feeds on "feeds")."""
    if (prefix, tag) not in _PREFIX_TAGS:
        _PREFIX_TAGS.append((prefix, tag))


def _version_key(kind, name):
    return f"version:{kind}:{name}"


def _version_keys(path):
    tags = set(_EXACT_TAGS.get(path, ()))
    tags.update(tag for prefix, tag in _PREFIX_TAGS if path.startswith(prefix))
    return [_version_key("path", path)] + sorted(_version_key("tag", tag) for tag in tags)


def _versions(keys):
    """The current token of each key (one round trip; missing ones are created)."""
    cache = caches["pages"]
    found = cache.get_many(keys)
    missing = {key: secrets.token_hex(4) for key in keys if key not in found}
    for key, token in missing.items():
        # add(): two processes creating the same token at once keep the first one.
        if not cache.add(key, token, timeout=None):
            missing[key] = cache.get(key, token)
    found.update(missing)
    return [found[key] for key in keys]


def data_version(*, paths=(), tags=()):
    """A string that changes whenever ``invalidate`` touches one of ``paths`` or ``tags``: part
    of the key of anything cached from that data (template fragments)."""
    keys = [_version_key("path", p) for p in paths] + [_version_key("tag", t) for t in tags]
    return ".".join(_versions(keys)) if keys else ""


def page_cache_prefix(path):
    """The page cache's key prefix for ``path``: its own version and its tags' versions."""
    return f"{settings.CACHE_MIDDLEWARE_KEY_PREFIX}.{'.'.join(_versions(_version_keys(path)))}"


def _renew(paths, tags):
    keys = [_version_key("path", p) for p in paths] + [_version_key("tag", t) for t in tags]
    if keys:
        caches["pages"].set_many({key: secrets.token_hex(4) for key in keys}, timeout=None)


def invalidate(*, paths=(), tags=()):
    """Cached responses of ``paths`` and of the paths tagged with ``tags`` are stale once the
    transaction commits (immediately outside one)."""
    paths, tags = tuple(paths), tuple(tags)
    transaction.on_commit(lambda: _renew(paths, tags))


def _reading_all(name):
    read = getattr(QueryDict, name)

    def method(self, *args, **kwargs):
        self.read_all = True
        return read(self, *args, **kwargs)

    method.__name__ = name
    return method


class ReadTrackingQueryDict(QueryDict):
    """``request.GET`` that remembers which parameters the page read.

    The cache keys a response on its whole address. A parameter no view reads (``?utm_source=…``,
    a cache-buster, a random string) would store one more copy of the same page per value: memory
    in a per-process cache, eviction of the useful entries in Redis. Such a response is served but
    not stored. Reading the parameters as a whole (copying them for pagination links, iterating)
    counts as reading all of them."""

    def __init__(self, *args, **kwargs):
        self.read = set()
        self.read_all = False
        super().__init__(*args, **kwargs)  # parsing reads through the methods below
        self.read.clear()
        self.read_all = False

    def unread(self):
        return set() if self.read_all else set(dict.keys(self)) - self.read

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def _getlist(self, key, *args, **kwargs):
        self.read.add(key)
        return super()._getlist(key, *args, **kwargs)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    __iter__ = _reading_all("__iter__")
    __len__ = _reading_all("__len__")
    keys = _reading_all("keys")
    items = _reading_all("items")
    lists = _reading_all("lists")
    values = _reading_all("values")
    dict = _reading_all("dict")
    urlencode = _reading_all("urlencode")
    copy = _reading_all("copy")


def _has_unread_parameters(request):
    query = request.__dict__.get("GET")
    return isinstance(query, ReadTrackingQueryDict) and bool(query.unread())


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
        prefix = getattr(request, "_page_cache_prefix", None)
        if prefix is None or not is_cacheable_request(request) or response.cookies or _has_unread_parameters(request):
            return response
        # The key prefix holds the data versions read before the view ran: a change during the
        # rendering stores this response under versions that are already out of date.
        scoped = copy.copy(self)
        scoped.key_prefix = prefix
        return UpdateCacheMiddleware.process_response(scoped, request, response)


class AnonymousCacheFetchMiddleware(FetchFromCacheMiddleware):
    """Last in MIDDLEWARE: answers cacheable anonymous requests from the cache."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.cache_alias = "pages"

    def process_request(self, request):
        if not is_cacheable_request(request):
            request._cache_update_cache = False
            return None
        request._page_cache_prefix = page_cache_prefix(request.path)
        if request.META.get("QUERY_STRING"):
            request.GET = ReadTrackingQueryDict(request.META["QUERY_STRING"], encoding=request.encoding)
        scoped = copy.copy(self)
        scoped.key_prefix = request._page_cache_prefix
        return FetchFromCacheMiddleware.process_request(scoped, request)


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
