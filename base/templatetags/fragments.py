"""``{% store_fragment key %}…{% endstore_fragment %}``: renders its content and keeps it in the
page cache under ``key`` (for ``PAGE_CACHE_SECONDS``), for a view that looks the key up first
and, when found, skips both its queries and this rendering. The key must name everything the
content depends on (data versions, parameters, what the visitor may see); the content must
never show anything about the person."""

import hashlib

from django import template
from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from base.caching import data_version

register = template.Library()


class StoreFragmentNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist, self.key = nodelist, key

    def render(self, context):
        html = self.nodelist.render(context)
        key = self.key.resolve(context)
        if key:
            caches["pages"].set(key, html, settings.PAGE_CACHE_SECONDS)
        return html


@register.tag
def store_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("store_fragment takes one argument: the cache key")
    nodelist = parser.parse(("endstore_fragment",))
    parser.delete_first_token()
    return StoreFragmentNode(nodelist, parser.compile_filter(bits[1]))


def cached_fragment(key):
    """The fragment stored under ``key``, or None."""
    html = caches["pages"].get(key) if key else None
    return None if html is None else mark_safe(html)  # noqa: S308 (our template's output, escaped)


def fragment_key(request, name, *parts, paths=(), tags=()):
    """The key of fragment ``name`` for ``parts`` (everything else it depends on: what it shows
    about the person must be among them) under the data versions of ``paths`` and ``tags``, in the
    request's language. None for a preview, which shows a draft: never read nor stored."""
    if getattr(request, "is_preview", False):
        return None
    text = "\n".join(str(part) for part in (*parts, get_language() or ""))
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    return f"fragment:{name}:{data_version(paths=paths, tags=tags)}:{digest}"


@register.simple_tag(takes_context=True)
def breadcrumb(context):
    """The page's breadcrumb (its ancestors' titles and links: one query), shared from the cache
    by everyone who may open the page; publishing or moving any page empties that cache."""
    page, request = context.get("page"), context.get("request")
    site = getattr(request, "_wagtail_site", None)
    key = fragment_key(request, "breadcrumb", page.pk, getattr(site, "pk", "")) if page and page.pk else None
    html = cached_fragment(key)
    if html is None:
        html = render_to_string("includes/breadcrumb.html", {"page": page, "request": request})
        if key:
            caches["pages"].set(key, html, settings.PAGE_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 (our template's output, escaped)
