from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wagtail.models import Site

from .queries import site_map as site_map_tree


@never_cache
@require_GET
def healthz(request):
    """200 when the app and its database answer, 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


@require_GET
def site_map(request):
    """« Plan du site »: the public pages as a readable tree (sitemap.xml stays for robots). An
    anonymous copy is shared from the page cache like any page (base.caching)."""

    site = Site.find_for_request(request) or Site.objects.get(is_default_site=True)
    home = site.root_page
    return render(
        request,
        "home/site_map.html",
        {"title": _("Plan du site"), "home": home, "tree": site_map_tree(request, home)},
    )
