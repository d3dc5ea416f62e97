"""sitemap.xml and robots.txt at the site's public address (``SITE_URL``), not at the address
Wagtail's Site record holds (http://localhost/ on a fresh install)."""

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from events.ical import public_url

# Personal or transactional addresses: nothing there for a search engine.
ROBOTS_DISALLOW = (
    "/admin/",
    "/django-admin/",
    "/compte/",
    "/calendrier/personnel/",
    "/inscriptions/",
    "/payments/",
    "/assistance/",
    "/presence/",
)


class PublicSitemap(Sitemap):
    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url_info in urls:
            url_info["location"] = public_url(url_info["location"])
        return urls


def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"wagtail": PublicSitemap})


@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in ROBOTS_DISALLOW)]
    lines += ["", f"Sitemap: {settings.SITE_URL.rstrip('/')}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
