"""``{% store_fragment key %}…{% endstore_fragment %}``: renders its content and keeps it in the
page cache under ``key`` (for ``PAGE_CACHE_SECONDS``), for a view that looks the key up first
and, when found, skips both its queries and this rendering. The key must name everything the
content depends on (data versions, parameters, what the visitor may see); the content must
never show anything about the person."""

from django import template
from django.conf import settings
from django.core.cache import caches
from django.utils.safestring import mark_safe

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
