"""What the request's user may see: pages by their view restrictions, documents by their
collection's. The rules are Wagtail's own (``BaseViewRestriction.accept_request``: login,
groups — superusers pass —, shared password remembered in the session), evaluated once per
request from plain rows in a fixed number of queries, then applied as SQL filters so listings
stay one query."""

from functools import reduce
from operator import or_

from django.db.models import Q

from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction, PageViewRestriction


def _user_group_ids(request):
    user = request.user
    if not user.is_authenticated:
        return set()
    cache = getattr(request, "_privacy_group_ids", None)
    if cache is None:
        cache = set(user.groups.values_list("pk", flat=True))
        request._privacy_group_ids = cache
    return cache


def _refused(model, request, target):
    """(restriction's target id, path, numchild) for each restriction of ``model`` that
    ``request`` does not pass; ``target`` is "page" or "collection"."""
    user = request.user
    rows = list(
        model.objects.values_list("pk", "restriction_type", f"{target}_id", f"{target}__path", f"{target}__numchild")
    )
    if not rows:
        return []
    groups = {}
    if user.is_authenticated and not user.is_superuser:
        through = model.groups.through
        for restriction_id, group_id in through.objects.values_list(f"{model._meta.model_name}_id", "group_id"):
            groups.setdefault(restriction_id, set()).add(group_id)
    group_ids = _user_group_ids(request)
    refused = []
    for pk, kind, target_id, path, numchild in rows:
        if kind == BaseViewRestriction.LOGIN:
            ok = user.is_authenticated
        elif kind == BaseViewRestriction.GROUPS:
            ok = user.is_authenticated and (user.is_superuser or bool(groups.get(pk, set()) & group_ids))
        elif kind == BaseViewRestriction.PASSWORD:  # passed passwords are remembered in the session
            session = getattr(request, "session", {})
            ok = pk in session.get(model.passed_view_restrictions_session_key, [])
        else:
            ok = True
        if not ok:
            refused.append((target_id, path, numchild))
    return refused


def _refused_pages(request):
    """(subtree paths, leaf ids, all paths) of the restricted pages ``request`` may not open. A
    refused page without children (most members-only minutes) is excluded by id, which keeps the
    SQL short when there are hundreds; one with children is excluded with its subtree, by path."""
    cached = getattr(request, "_privacy_pages", None)
    if cached is None:
        refused = _refused(PageViewRestriction, request, "page")
        paths = sorted({path for _pk, path, _numchild in refused})
        subtrees = sorted({path for _pk, path, numchild in refused if numchild})
        leaves = sorted({pk for pk, path, numchild in refused if not numchild})
        cached = (subtrees, leaves, paths)
        request._privacy_pages = cached
    return cached


def refused_page_paths(request):
    """Tree paths of the restricted pages ``request`` may not open (their subtrees are refused too)."""
    return _refused_pages(request)[2]


def refused_collection_paths(request):
    cached = getattr(request, "_privacy_collection_paths", None)
    if cached is None:
        cached = sorted({path for _pk, path, _numchild in _refused(CollectionViewRestriction, request, "collection")})
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


def page_is_restricted(page, request):
    """Whether a view restriction (the page's own or an ancestor's) applies to ``page``, whoever
    asks: read once per request from plain rows (the same answer as
    ``page.get_view_restrictions().exists()``, which costs two queries per call)."""
    if getattr(page, "alias_of_id", None):
        return page.get_view_restrictions().exists()  # an alias follows its source page
    paths = getattr(request, "_privacy_restricted_paths", None)
    if paths is None:
        paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        request._privacy_restricted_paths = paths
    return any(page.path.startswith(path) for path in paths)
