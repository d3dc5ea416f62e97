"""The form and results of /recherche/ shared from the cache (base.templatetags.fragments) by
everyone who asks the same thing and may open the same pages and documents: none of the
search's queries on a hit, only the statistics of the search (three upserts).

The key holds what is asked (the query as the form normalises it, plus what of the raw text
decides an error; the type, sector and page number as sent), the visitor's audience (logged in
or not, whether they take part in the members' exchange, the restricted pages and collections
they may not open) and the data version of what search shows beside pages: documents, FAQ
entries, exchange questions, promoted results, privacy rules (tag ``SEARCH``). Publishing,
unpublishing, moving or deleting a page and changing a sector empty the whole cache."""

from django.conf import settings
from django.core.cache import caches
from django.utils.safestring import mark_safe

from base.caching import invalidate
from base.templatetags.fragments import fragment_key
from members.privacy import refused_collection_paths, refused_page_paths

from . import exchange
from .queries import CONTROL_CHARS, MAX_QUERY_LENGTH, search_site
from .services import record_search_quietly

# The data version of what search finds besides pages (see ``connect_invalidation``).
SEARCH = "search"


def _asked(request):
    """What the form and the results depend on in the query string (a cache buster: nothing)."""
    raw = request.GET.get("q") or ""
    # The form refuses on the raw text a null byte and a length over the limit once stripped;
    # everything else it decides on the normalised query.
    normalised = " ".join(CONTROL_CHARS.sub(" ", raw).split())
    refused = ("\x00" in raw, len(raw.strip()) > MAX_QUERY_LENGTH)
    return [normalised, refused, *(request.GET.get(name) or "" for name in ("type", "secteur", "page"))]


def _audience(request):
    user = request.user
    return (
        user.is_authenticated,
        exchange.may_take_part(user),
        "|".join(refused_page_paths(request)),
        "|".join(refused_collection_paths(request)),
    )


def search_key(request, page):
    site = getattr(request, "_wagtail_site", None)
    return fragment_key(
        request, "search", page.pk, getattr(site, "pk", ""), _asked(request), _audience(request), tags=[SEARCH]
    )


def search_context(request, page):
    """The search's context, or its fragment from the cache; the search is counted either way."""
    key = search_key(request, page)
    names = [key, f"{key}:meta"] if key else []
    cached = caches["pages"].get_many(names) if names else {}
    if names and len(cached) == len(names):
        meta = cached[f"{key}:meta"]
        context = {"search_html": mark_safe(cached[key]), "filters_invalid": meta["invalid"]}  # noqa: S308 (our template's output, escaped)
    else:
        context = search_site(request)
        meta = {"invalid": context["filters_invalid"], "counted": context.pop("counted", None)}
        if key:
            caches["pages"].set(f"{key}:meta", meta, settings.PAGE_CACHE_SECONDS)
        context.update(search_key=key, search_html=None)
    if meta["counted"]:
        record_search_quietly(*meta["counted"])
    return context


def search_data_changed(**kwargs):
    """Receiver: what search finds besides pages has changed (see ``connect_invalidation``)."""
    invalidate(tags=[SEARCH])


def connect_invalidation():
    """Cached results follow documents, FAQ entries, exchange questions, promoted results and
    the privacy rules of pages and collections (the audience in the key already changes when a
    rule refuses the visitor; this also renews it for those a new rule lets in)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from wagtail.contrib.search_promotions.models import SearchPromotion
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

    from exchange.models import Question
    from helpdesk.models import FaqEntry

    models = (get_document_model(), FaqEntry, Question, SearchPromotion, Collection)
    restrictions = (PageViewRestriction, CollectionViewRestriction)
    for model in (*models, *restrictions):
        for signal in (post_save, post_delete):
            signal.connect(search_data_changed, sender=model, dispatch_uid=f"search.{model.__name__}.{id(signal)}")
    for model in restrictions:
        m2m_changed.connect(
            search_data_changed, sender=model.groups.through, dispatch_uid=f"search.{model.__name__}.groups"
        )
