"""Site search: pages and documents, French matching (the database backend's configuration),
facets by type and sector with counts, highlighted snippets, paging, promoted results first,
and never a page or document the visitor may not open.

The search asks the backend for at most ``CANDIDATES`` pages and as many documents, then
builds facets and pages in Python over those rows, so the number of SQL queries does not grow
with the number of resources."""

import re
import unicodedata

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.documents import get_document_model
from wagtail.models import Page, get_page_models
from wagtail.search.backends import get_search_backend
from wagtail.search.utils import normalise_query_string

from helpdesk.models import FaqEntry, FaqPage
from members.privacy import page_is_viewable, viewable_documents, viewable_pages
from resources.models import ResourcePage, ResourceType
from sectors.models import Sector

from . import exchange

MAX_QUERY_LENGTH = 200
MAX_TERMS = 15
CANDIDATES = 200
PAGE_SIZE = 10
SNIPPET_LENGTH = 220

DOCUMENT = "document"
FAQ = "faq"
GROUP = "groupe-de-travail"
OTHER = "page"


def facet_types():
    """Facet values for « type », in display order."""
    return [
        *ResourceType.choices,
        (GROUP, _("Groupe de travail")),
        ("evenement", _("Événement")),
        ("formation", _("Formation")),
        (FAQ, _("Question fréquente")),
        (exchange.EXCHANGE, exchange.LABEL),
        (OTHER, _("Page")),
        (DOCUMENT, _("Document")),
    ]


# Page models (app_label.model) whose pages get their own facet value; other pages are « Page ».
MODEL_TYPES = {
    "workinggroups.workinggrouppage": GROUP,
    "events.eventpage": "evenement",
    "trainings.trainingpage": "formation",
    "helpdesk.faqpage": FAQ,
}

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher sur le site"), required=False, max_length=MAX_QUERY_LENGTH)
    type = forms.ChoiceField(label=_("Type"), required=False)
    secteur = forms.ModelChoiceField(
        label=_("Secteur"), queryset=Sector.objects.none(), required=False, to_field_name="slug"
    )

    def __init__(self, data, *, sectors):
        super().__init__(data)
        self.fields["type"].choices = [("", _("Tous"))] + facet_types()
        self.fields["secteur"].queryset = Sector.objects.in_use_order()
        self.fields["secteur"].widget.choices = [("", _("Tous"))] + [(s.slug, s.name) for s in sectors]
        self.fields["q"].error_messages["max_length"] = _(
            "La recherche est limitée à %(limit_value)d caractères : raccourcissez-la."
        )
        message = _("Cette valeur n'existe pas : choisissez dans la liste.")
        self.fields["type"].error_messages["invalid_choice"] = message
        self.fields["secteur"].error_messages["invalid_choice"] = message

    def clean_q(self):
        query = CONTROL_CHARS.sub(" ", self.cleaned_data.get("q") or "")
        query = " ".join(query.split())
        if query and not search_terms(query):
            raise forms.ValidationError(_("Saisissez au moins un mot (lettres ou chiffres)."))
        if len(search_terms(query).split()) > MAX_TERMS:
            raise forms.ValidationError(
                _("La recherche est limitée à %(max)d mots : gardez les plus importants.") % {"max": MAX_TERMS}
            )
        return query


def search_terms(query):
    """The words of the query, without operators or punctuation that a backend could parse."""
    return " ".join(re.findall(r"\w+", query))[:MAX_QUERY_LENGTH]


def _fold(text):
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")


def _stems(query):
    """Approximate French stems of the query's words, to highlight « restaurant » for « restauration »."""
    words = re.findall(r"\w+", _fold(query))
    return sorted({w[: max(4, min(len(w), 6))] for w in words if len(w) >= 3}, key=len, reverse=True)


def highlight(text, query, length=SNIPPET_LENGTH):
    """A snippet of ``text`` around the first match, escaped, with matches in <mark>."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    stems = _stems(query)
    folded = _fold(text)
    # Folding never changes the length of these Latin texts' characters count in practice; guard anyway.
    if len(folded) != len(text):
        return escape(Truncator(text).chars(length))
    pattern = re.compile(r"\b(" + "|".join(re.escape(s) for s in stems) + r")\w*") if stems else None
    first = pattern.search(folded) if pattern else None
    start = max(0, first.start() - length // 3) if first else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    pieces, cursor = [], start
    for match in pattern.finditer(folded, start, end) if pattern else []:
        pieces.append(escape(text[cursor : match.start()]))
        pieces.append(f"<mark>{escape(text[match.start() : match.end()])}</mark>")
        cursor = match.end()
    pieces.append(escape(text[cursor:end]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 (every piece is escaped above)


def _text_of(page):
    """The text a page's snippet is taken from: its summary or purpose, then its body's text."""
    parts = []
    for name in ("search_snippet_source", "purpose", "intro", "search_description", "mission", "specifications"):
        value = getattr(page, name, "")
        if value:
            parts.append(strip_tags(str(value)))
    body = getattr(page, "body", None)
    if body is not None and hasattr(body, "stream_block"):
        parts.extend(strip_tags(str(text)) for text in body.stream_block.get_searchable_content(body))
    return " ".join(parts) or page.title


def _sector_lookups():
    """From Page, the lookup of each page model's own sector column (a direct subclass of Page
    that declares ``sector``: event, training, working group, resource, joint purchase…)."""
    return [
        f"{model._meta.model_name}__sector_id"
        for model in get_page_models()
        if Page in model._meta.parents and any(f.name == "sector" for f in model._meta.local_fields)
    ]


def _page_facets(pages):
    """(type, sector id) of each page id, in one query whatever the page models found: each
    sectored model's table is joined (one to one, on the page's id)."""
    if not pages:
        return {}
    lookups = _sector_lookups()
    rows = Page.objects.filter(pk__in=[p.pk for p in pages]).values_list("pk", "resourcepage__resource_type", *lookups)
    kinds = {}
    for page in pages:
        model = ContentType.objects.get_for_id(page.content_type_id).model_class()
        name = f"{model._meta.app_label}.{model._meta.model_name}" if model else ""
        kinds[page.pk] = MODEL_TYPES.get(name, OTHER)
    facets = {}
    for pk, resource_type, *sectors in rows.order_by():
        sector_id = next((sector for sector in sectors if sector is not None), None)
        facets[pk] = (resource_type or kinds.get(pk, OTHER), sector_id)
    return facets


def _typed_hits(request, query, resource_type, sector, promoted_ids):
    resources = ResourcePage.objects.live().filter(resource_type=resource_type)
    if sector:
        resources = resources.filter(sector=sector)
    found = viewable_pages(resources, request).search(search_terms(query), operator="and").annotate_score("_score")
    return [
        {"object": page, "type": resource_type, "sector": page.sector_id, "score": page._score or 0}
        for page in found[:CANDIDATES]
        if page.pk not in promoted_ids
    ]


def _count(hits, key):
    counts = {}
    for hit in hits:
        counts[hit[key]] = counts.get(hit[key], 0) + 1
    return counts


def _faq_page(request):
    return viewable_pages(FaqPage.objects.live(), request).first()


def promotions_for(query, request):
    """Promoted results (search_promotions) the visitor may open, in the editors' order."""
    normalised = normalise_query_string(query)[:255]
    picks = (
        SearchPromotion.objects.filter(query__query_string=normalised)
        .select_related("page")
        .order_by("sort_order", "pk")
    )
    return [p for p in picks if p.page is None or (p.page.live and page_is_viewable(p.page, request))]


def _candidates(request, query):
    """The best matching pages, documents and FAQ entries the visitor may open."""
    terms = search_terms(query)
    pages = list(
        viewable_pages(Page.objects.live().filter(depth__gt=1), request)
        .search(terms, operator="and")
        .annotate_score("_score")[:CANDIDATES]
    )
    Document = get_document_model()
    documents = list(
        viewable_documents(Document.objects.select_related("collection"), request)
        .search(terms, operator="and")
        .annotate_score("_score")[:CANDIDATES]
    )
    entries = list(
        get_search_backend()
        .search(terms, FaqEntry.objects.filter(published=True), operator="and")
        .annotate_score("_score")[:CANDIDATES]
    )
    return pages, documents, entries


def _hits(pages, documents, entries, promoted_ids):
    """One hit per result (promoted pages left out: they are shown first), best score first."""
    facets = _page_facets(pages)
    hits = [
        {
            "object": page,
            "type": facets.get(page.pk, (OTHER, None))[0],
            "sector": facets.get(page.pk, (OTHER, None))[1],
            "score": page._score or 0,
        }
        for page in pages
        if page.pk not in promoted_ids
    ]
    hits += [{"object": doc, "type": DOCUMENT, "sector": None, "score": doc._score or 0} for doc in documents]
    hits += [{"object": entry, "type": FAQ, "sector": entry.sector_id, "score": entry._score or 0} for entry in entries]
    hits.sort(key=lambda hit: -hit["score"])
    return hits


def _paginate(selected, request, context):
    paginator = Paginator(selected, PAGE_SIZE)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        context["filters_invalid"] = True
        context["page_error"] = gettext("Cette page de résultats n'existe pas : voici la première.")
        return paginator.page(1)


def _specific(pages):
    """The specific page of each of ``pages`` by id: one query per page model among them (their
    content type is known: no query to read it, unlike ``.specific()``)."""
    by_model = {}
    for page in pages:
        by_model.setdefault(page.content_type_id, []).append(page.pk)
    found = {}
    for content_type_id, ids in by_model.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None:
            # No ORDER BY: hits keep their score's order, and compiling the tree order costs CPU.
            found.update((p.pk, p) for p in model.objects.filter(pk__in=ids).order_by())
    return found


def _describe(results, request, query, type_labels):
    """Give each shown hit its URL, title, snippet and label; only shown pages load their fields."""
    shown = [h["object"] for h in results if isinstance(h["object"], Page)]
    faq_page = _faq_page(request) if any(isinstance(h["object"], FaqEntry) for h in results) else None
    exchange_url = exchange.base_url(request) if any(h["type"] == exchange.EXCHANGE for h in results) else ""
    specific = _specific(shown)
    for hit in results:
        obj = hit["object"]
        if hit["type"] == DOCUMENT:
            hit["url"], hit["title"] = obj.url, obj.title
            hit["snippet"] = highlight(obj.title, query)
            hit["meta"] = f"{obj.file_extension.upper()}"
        elif isinstance(obj, FaqEntry):
            hit["url"] = f"{faq_page.get_url(request)}#question-{obj.pk}" if faq_page else ""
            hit["title"], hit["snippet"] = obj.question, highlight(strip_tags(obj.answer), query)
        elif hit["type"] == exchange.EXCHANGE:
            hit["url"] = f"{exchange_url}questions/{obj.pk}/" if exchange_url else ""
            hit["title"], hit["snippet"] = obj.title, highlight(obj.body, query)
        else:
            page = specific.get(obj.pk, obj)
            hit["url"], hit["title"] = page.get_url(request), page.title
            hit["snippet"] = highlight(_text_of(page), query)
        hit["type_label"] = type_labels.get(hit["type"], "")


def _facets(type_counts, sector_counts, sectors, wanted_type, wanted_sector):
    """The type and sector facets with their counts, the selected one marked."""
    sector_names = {s.pk: s for s in sectors}
    type_facets = [
        {"value": value, "label": label, "count": type_counts[value], "selected": value == wanted_type}
        for value, label in facet_types()
        if type_counts.get(value)
    ]
    sector_facets = [
        {
            "value": sector_names[pk].slug,
            "label": sector_names[pk].name,
            "count": count,
            "selected": wanted_sector is not None and pk == wanted_sector.pk,
        }
        for pk, count in sorted(sector_counts.items(), key=lambda item: -item[1])
        if pk in sector_names
    ]
    return {"type_facets": type_facets, "sector_facets": sector_facets}


def _form_context(request):
    """The form's context, and the filters (shown only once there is a query)."""
    sectors = list(Sector.objects.in_use_order())
    form = SearchForm(request.GET, sectors=sectors)
    exchange.hide_choice(form, request)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    return {
        "search_form": form,
        "filters_invalid": bool(form.errors),
        "query": cleaned.get("q", "") if "q" not in form.errors else "",
        "sectors": sectors,
        "type_labels": dict(facet_types()),
    }, {
        "wanted_type": cleaned.get("type") if "type" not in form.errors else None,
        "wanted_sector": cleaned.get("secteur") if "secteur" not in form.errors else None,
    }


def search_site(request):
    context, filters = _form_context(request)
    query = context["query"]
    if not query:
        return context
    context.update(filters)
    wanted_type, wanted_sector = filters["wanted_type"], filters["wanted_sector"]

    pages, documents, entries = _candidates(request, query)
    promotions = promotions_for(query, request)
    promoted_ids = {p.page_id for p in promotions if p.page_id}
    hits = _hits(pages, documents, entries, promoted_ids)
    hits += exchange.hits(request, search_terms(query), CANDIDATES)
    hits.sort(key=lambda hit: -hit["score"])

    by_sector = [h for h in hits if not wanted_sector or h["sector"] == wanted_sector.pk]
    by_type = [h for h in hits if not wanted_type or h["type"] == wanted_type]
    selected = [h for h in by_sector if not wanted_type or h["type"] == wanted_type]
    if wanted_type in ResourceType.values:
        # A resource type is searched on its own, so none is missed beyond the best matches.
        selected = _typed_hits(request, query, wanted_type, wanted_sector, promoted_ids)

    results = _paginate(selected, request, context)
    _describe(results, request, query, context["type_labels"])
    if not request.GET.get("page") and not wanted_type and not wanted_sector:
        # Counted by the caller (search.fragments), also when the results come from the cache.
        context["counted"] = (query, len(hits) + len(promotions))

    context.update(
        _facets(_count(by_sector, "type"), _count(by_type, "sector"), context["sectors"], wanted_type, wanted_sector)
    )
    context.update(
        {
            "results": results,
            "total": len(selected),
            "promotions": promotions if results.number == 1 else [],
            "truncated": len(pages) >= CANDIDATES or len(documents) >= CANDIDATES,
        }
    )
    return context
