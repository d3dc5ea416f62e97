from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.translation import gettext as _

from wagtail.models import Page

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 10


def search_pages(request):
    """Search live, public pages; the query is trimmed, bounded and never trusted."""
    query = (request.GET.get("q") or "").strip()
    error = None
    if len(query) > MAX_QUERY_LENGTH:
        error = _("La recherche est limitée à %(max)s caractères.") % {"max": MAX_QUERY_LENGTH}
        query = query[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
    paginator = Paginator(results, PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        page = paginator.page(1)
    return {"query": query, "search_error": error, "results": page}
