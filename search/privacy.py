"""What the request's user may see: pages by their view restrictions, documents by their
collection's. The rules are Wagtail's own (``accept_request``), evaluated once per request in a
fixed number of queries, then applied as SQL filters so listings stay one query."""

from functools import reduce
from operator import or_

from django.db.models import Q

from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction, PageViewRestriction


def _accepts(restriction, request, group_ids):
    user = request.user
    if restriction.restriction_type == BaseViewRestriction.NONE:
        return True
    if restriction.restriction_type == BaseViewRestriction.LOGIN:
        return user.is_authenticated
    if restriction.restriction_type == BaseViewRestriction.GROUPS:
        if not user.is_authenticated:
            return False
        return user.is_superuser or any(group.pk in group_ids for group in restriction.groups.all())
    # Shared passwords are checked against the session, with no query.
    return restriction.accept_request(request)


def _user_group_ids(request):
    user = request.user
    if not user.is_authenticated:
        return set()
    cache = getattr(request, "_privacy_group_ids", None)
    if cache is None:
        cache = set(user.groups.values_list("pk", flat=True))
        request._privacy_group_ids = cache
    return cache


def _refused_paths(restrictions, request, path_of):
    group_ids = _user_group_ids(request)
    return sorted({path_of(r) for r in restrictions if not _accepts(r, request, group_ids)})


def _refused_pages(request):
    """(paths, leaf ids) of the restricted pages ``request`` may not open. A refused page without
    children (most members-only minutes) is excluded by id, which keeps the SQL short when there
    are hundreds of them; a refused page with children is excluded with its subtree, by path."""
    cached = getattr(request, "_privacy_pages", None)
    if cached is None:
        restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
        group_ids = _user_group_ids(request)
        refused = [r.page for r in restrictions if not _accepts(r, request, group_ids)]
        paths = sorted({page.path for page in refused})
        subtrees = [path for path in paths if not any(path.startswith(p) and path != p for p in paths)]
        leaves = sorted({page.pk for page in refused if page.numchild == 0})
        cached = ([page.path for page in refused if page.numchild and page.path in subtrees], leaves, paths)
        request._privacy_pages = cached
    return cached


def refused_page_paths(request):
    """Tree paths of the restricted pages ``request`` may not open (their subtrees are refused too)."""
    return _refused_pages(request)[2]


def refused_collection_paths(request):
    cached = getattr(request, "_privacy_collection_paths", None)
    if cached is None:
        restrictions = CollectionViewRestriction.objects.select_related("collection").prefetch_related("groups")
        cached = _refused_paths(restrictions, request, lambda r: r.collection.path)
        request._privacy_collection_paths = cached
    return cached


def _exclude_paths(queryset, field, paths):
    if not paths:
        return queryset
    return queryset.exclude(reduce(or_, (Q(**{f"{field}__startswith": path}) for path in paths)))


def viewable_pages(queryset, request):
    """``queryset`` (of pages) without those ``request`` may not open."""
    subtrees, leaves, _paths = _refused_pages(request)
    if leaves:
        queryset = queryset.exclude(pk__in=leaves)
    return _exclude_paths(queryset, "path", subtrees)


def viewable_documents(queryset, request):
    """``queryset`` (of documents) without those whose collection ``request`` may not open.
    Filtered by collection id (an indexed filter field), so the result can still be searched."""
    paths = refused_collection_paths(request)
    if not paths:
        return queryset
    refused = _exclude_paths(Collection.objects.all(), "path", paths).values_list("pk", flat=True)
    refused_ids = list(Collection.objects.exclude(pk__in=refused).values_list("pk", flat=True))
    return queryset.exclude(collection_id__in=refused_ids)


def page_is_viewable(page, request):
    return not any(page.path.startswith(path) for path in refused_page_paths(request))


def document_is_viewable(document, request):
    return not any(document.collection.path.startswith(path) for path in refused_collection_paths(request))
