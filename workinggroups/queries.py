"""Working groups: the listing's filters and what a group's page shows (meetings from the
events, the market-engagement meeting, deliverables, and members-only minutes)."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from members.privacy import viewable_pages
from registrations.kinds import application_kinds
from registrations.models import Occurrence
from sectors.models import Sector

from .models import WorkingGroupPage

MEETINGS_SHOWN = 6


class GroupFilterForm(forms.Form):
    secteur = forms.ModelChoiceField(
        label=_("Secteur"), queryset=Sector.objects.none(), required=False, to_field_name="slug", empty_label=_("Tous")
    )
    statut = forms.ChoiceField(label=_("Statut"), required=False)

    def __init__(self, data):
        super().__init__(data)
        self.fields["secteur"].queryset = Sector.objects.filter(working_groups__isnull=False).distinct().in_use_order()
        self.fields["statut"].choices = [("", _("Tous"))] + list(WorkingGroupPage.Status.choices)
        message = _("Cette valeur n'existe pas : choisissez dans la liste.")
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = message


def group_listing(request, index):
    form = GroupFilterForm(request.GET)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    groups = (
        viewable_pages(WorkingGroupPage.objects.child_of(index).live(), request)
        .defer_streamfields()
        .select_related("sector")
        .prefetch_related("periods")
        .order_by("title")
    )
    if cleaned.get("secteur") and "secteur" not in form.errors:
        groups = groups.filter(sector=cleaned["secteur"])
    groups = list(groups)
    status = cleaned.get("statut") if "statut" not in form.errors else None
    if status:  # the status follows from the periods and the year: computed on the prefetched rows
        groups = [g for g in groups if g.status == status]
    return {
        "filter_form": form,
        "filters_invalid": bool(form.errors),
        "current_groups": [g for g in groups if g.status == WorkingGroupPage.Status.CURRENT],
        "planned_groups": [g for g in groups if g.status == WorkingGroupPage.Status.PLANNED],
        "past_groups": [g for g in groups if g.status == WorkingGroupPage.Status.PAST],
        "group_count": len(groups),
    }


def group_occurrences(group, request):
    """The group's meetings: occurrences of its events whose page ``request`` may open (the
    page's own privacy rule, as in the agenda and the feeds)."""
    pages = viewable_pages(Page.objects.live(), request).values("pk")
    return Occurrence.objects.filter(page__eventpage__working_group=group, page__in=pages).select_related("page")


def group_feed_url(group):
    return reverse("events:working_group_feed", kwargs={"slug": group.slug})


def group_detail(request, group):
    now = timezone.now()
    occurrences = group_occurrences(group, request)
    meetings = occurrences.exclude(kind__in=application_kinds())
    market = occurrences.filter(kind__in=application_kinds())
    # The group's resources through the reverse relation: working groups need not import resources/.
    resources = list(
        viewable_pages(group.resources.live(), request)
        .select_related("sector", "working_group")
        .defer_streamfields()
        .order_by("-year", "title")
    )
    restricted = set(group.resources.live().not_public().values_list("pk", flat=True))
    # Counted so the page says there are members-only documents instead of « aucun ».
    reserved = group.resources.live().count() - len(resources)
    members_documents = [r for r in resources if r.pk in restricted or r.is_minutes]
    deliverables = [r for r in resources if r not in members_documents]
    return {
        "upcoming_meetings": list(meetings.filter(end__gte=now).order_by("start")[:MEETINGS_SHOWN]),
        "past_meetings": list(meetings.filter(end__lt=now).order_by("-start")[:MEETINGS_SHOWN]),
        "market_engagement": list(market.order_by("-start")[:3]),
        "feed_url": group_feed_url(group),
        "deliverables": deliverables,
        "members_documents": members_documents,
        "reserved_count": reserved,
        "participants": list(group.participants.order_by("name")),
    }
