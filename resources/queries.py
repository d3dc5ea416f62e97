"""The library's listing: validated filters, combined, kept in the URL, paginated; a fixed
number of queries whatever the number of resources."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.cache import caches
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from base.templatetags.fragments import fragment_key
from helpdesk.models import FaqPage
from members.privacy import refused_page_paths, viewable_pages
from sectors.models import Sector
from workinggroups.models import WorkingGroupPage

from .models import ResourcePage

PAGE_SIZE = 12
# The query parameters the listing reads (any other one, say a cache buster, changes nothing).
ASKED = ("type", "secteur", "groupe", "annee", "page")


class LibraryFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), required=False)
    secteur = forms.ModelChoiceField(
        label=_("Secteur"), queryset=Sector.objects.none(), required=False, to_field_name="slug", empty_label=_("Tous")
    )
    groupe = forms.ModelChoiceField(
        label=_("Groupe de travail"), queryset=None, required=False, to_field_name="slug", empty_label=_("Tous")
    )
    annee = forms.TypedChoiceField(label=_("Année"), required=False, coerce=int, empty_value=None)

    error_messages = {"invalid_choice": _("Cette valeur n'existe pas : choisissez dans la liste.")}

    def __init__(self, data, *, years, groups):
        from .models import ResourceType  # the page models import these queries (get_context)

        super().__init__(data)
        self.fields["type"].choices = [("", _("Tous"))] + list(ResourceType.choices)
        self.fields["secteur"].queryset = Sector.objects.in_use_order()
        self.fields["groupe"].queryset = groups
        self.fields["annee"].choices = [("", _("Toutes"))] + [(str(y), str(y)) for y in years]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = self.error_messages["invalid_choice"]


def resources_for(request):
    """Live resource pages ``request`` may open, ready for a list (no query per row)."""
    return viewable_pages(ResourcePage.objects.live(), request).select_related("sector", "working_group")


def _cleaned_filters(form):
    """The valid filters only: an unknown value is reported and ignored, never fatal."""
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    return {name: cleaned.get(name) for name in form.fields if name not in form.errors and cleaned.get(name)}


def _filtered(resources, filters):
    if "type" in filters:
        resources = resources.filter(resource_type=filters["type"])
    if "secteur" in filters:
        resources = resources.filter(sector=filters["secteur"])
    if "groupe" in filters:
        resources = resources.filter(working_group=filters["groupe"])
    if "annee" in filters:
        resources = resources.filter(year=filters["annee"])
    return resources


def paginate(request, items, size):
    paginator = Paginator(items, size)
    try:
        return paginator.page(request.GET.get("page") or 1), False
    except (EmptyPage, PageNotAnInteger):
        return paginator.page(1), True


def library_listing(request, index):
    resources = resources_for(request).defer_streamfields()
    years = list(resources.order_by("-year").values_list("year", flat=True).distinct())
    groups = viewable_pages(WorkingGroupPage.objects.live(), request).defer_streamfields().order_by("title")
    form = LibraryFilterForm(request.GET, years=years, groups=groups)
    filters = _cleaned_filters(form)
    resources = _filtered(resources, filters).order_by("-year", "-first_published_at", "pk")
    page, bad_page = paginate(request, resources, PAGE_SIZE)
    kept = {name: request.GET[name] for name in filters}
    query = urlencode(kept)
    # What the visitor may not open is counted, not hidden silently: « 0 ressource » for minutes
    # that exist but are members-only was a dead end.
    reserved = _filtered(ResourcePage.objects.live(), filters).count() - page.paginator.count
    return {
        "reserved_count": reserved,
        "faq_page": FaqPage.objects.child_of(index).live().first(),
        "filter_form": form,
        "filters_invalid": bool(form.errors) or bad_page,
        "bad_page": bad_page,
        "resources": page,
        "filter_query": query,
        "login_next": f"{request.path}?{query}" if query else request.path,
        "active_filters": bool(kept),
    }


def library_key(request, index):
    """The cache key of the library's listing and filters (base.templatetags.fragments): what is
    asked (the parameters the listing reads, raw: a refused one shows its error), what this
    visitor may open (the restricted pages they may not, which also decide the count of reserved
    ones) and whether they are logged in (the « members only » notice's offer). Publication and
    a sector's change empty the cache; the listing shows nothing else about the person."""
    asked = [request.GET.getlist(name) for name in ASKED]
    audience = (request.user.is_authenticated, "|".join(refused_page_paths(request)))
    return fragment_key(request, "library", index.pk, asked, audience, paths=[request.path])


def library_context(request, index):
    """The listing's context, or its fragments from the cache (none of the listing's queries)."""
    key = library_key(request, index)
    names = [key, f"{key}:faq", f"{key}:invalid"] if key else []
    cached = caches["pages"].get_many(names)
    if names and len(cached) == len(names):
        return {
            "library_html": mark_safe(cached[key]),  # noqa: S308 (our template's output, escaped)
            "faq_html": mark_safe(cached[f"{key}:faq"]),  # noqa: S308
            "filters_invalid": cached[f"{key}:invalid"],
        }
    context = library_listing(request, index)
    if key:
        caches["pages"].set(f"{key}:invalid", context["filters_invalid"], settings.PAGE_CACHE_SECONDS)
    context.update(library_key=key, faq_key=f"{key}:faq" if key else None, faq_html=None)
    return context
