"""The site's footer, rendered once per data version and shared from the cache: it shows the
site's settings and legal pages, nothing about the person (it is rendered without the request's
user, so it cannot)."""

from django import template
from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from wagtail.models import Page, Site

from base.caching import SITE, data_version
from base.sites import find_site

register = template.Library()

LEGAL_FIELDS = ("legal_notice_page", "accessibility_page", "personal_data_page")


def _render(request, site):
    from home.models import SiteSettings

    site_settings = SiteSettings.for_site(site)
    ids = {name: getattr(site_settings, f"{name}_id") for name in LEGAL_FIELDS}
    # The legal pages in one query (not one per link), with what their URL needs.
    pages = Page.objects.filter(pk__in=[pk for pk in ids.values() if pk]).only("id", "url_path", "path", "depth")
    urls = {page.pk: page.get_url(request, current_site=site) for page in pages}
    links = {name: urls.get(pk) for name, pk in ids.items()}
    return render_to_string("includes/footer.html", {"s": site_settings, "legal": links})


@register.simple_tag(takes_context=True)
def site_footer(context):
    request = context.get("request")
    # Through the shared lookup: views that serve no page (« Mon compte ») have not found it yet.
    site = find_site(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return ""
    cache = caches["pages"]
    key = f"fragment:footer:{site.pk}:{get_language()}:{data_version(tags=[SITE])}"
    html = cache.get(key)
    if html is None:
        html = _render(request, site)
        cache.set(key, html, settings.PAGE_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 (rendered by our template, which escapes every value)
