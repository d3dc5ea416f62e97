"""The request's Wagtail site, shared from the page cache instead of one query per page served.

Wagtail looks the site up for every page it serves (``Site.find_for_request``: one query with a
join on the root page), and again wherever a template asks. Sites change almost never: the
lookup's answer is kept in the "pages" cache for a page-cache lifetime, per host and port, and any
change of a site empties that cache (``base.apps``), as a publication does. Only the site row and
its root page's base row are kept (its tree path and URL path, which only a move changes, and a
move empties the cache); routing reads the root's own row afresh when it needs it.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.http import Http404
from django.http.request import split_domain_port

from wagtail import views as wagtail_views
from wagtail.models import Site

from .pages import DirectRouteMixin, route_down


def _key(request):
    host = split_domain_port(request._get_raw_host())[0]  # Wagtail's own reading (no ALLOWED_HOSTS check)
    return f"site:{host}:{request.get_port()}"


def find_site(request):
    """``Site.find_for_request(request)``, from the cache when another request asked already."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    cache = caches["pages"]
    key = _key(request)
    site = cache.get(key)
    if site is None:
        site = Site._find_for_request(request)
        if site is not None:
            cache.set(key, site, settings.PAGE_CACHE_SECONDS)
    request._wagtail_site = site
    return site


def serve(request, path):
    """Wagtail's page view, with the site found through the cache first and, under a root page
    that routes deep pages directly (``DirectRouteMixin``), the page routed without loading the
    root's own row; everything else is Wagtail's routing."""
    site = find_site(request)
    if site is not None:
        root = site.root_page
        model = ContentType.objects.get_for_id(root.content_type_id).model_class()
        if model is not None and issubclass(model, DirectRouteMixin):
            try:
                route = route_down(root, request, [part for part in path.split("/") if part])
            except Http404:
                request._wagtail_route_for_request = None  # what Wagtail's routing records
            else:
                if route is not None:
                    request._wagtail_route_for_request = route
    return wagtail_views.serve(request, path)
