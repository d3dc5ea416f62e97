"""The library's listing: validated filters, combined, kept in the URL, paginated; a fixed
number of queries whatever the number of resources."""

from urllib.parse import urlencode

from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.translation import gettext_lazy as _

from helpdesk.models import FaqPage
from members.privacy import viewable_pages
from sectors.models import Sector
from workinggroups.models import WorkingGroupPage

from .models import ResourcePage

PAGE_SIZE = 12


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
        "filter_query": urlencode(kept),
        "active_filters": bool(kept),
    }
