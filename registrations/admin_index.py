"""The admin's registrations index: dates with their counts per status, searchable by person,
organisation or activity and filtered by status, kind and period. A fixed number of queries
whatever the number of rows (the counts are conditional aggregates, not a query per date)."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from base.french_dates import safe_date

from .kinds import kind_label, registered_kinds
from .models import Occurrence, Registration, RegistrationStatus

S = RegistrationStatus
PERIODS = {"a-venir", "passees", "toutes"}
MAX_QUERY = 100


@dataclass
class IndexFilters:
    query: str = ""
    status: str = ""
    kind: str = ""
    period: str = "a-venir"
    start: datetime.date | None = None
    end: datetime.date | None = None

    @classmethod
    def from_request(cls, request):
        """Known values only: anything else is ignored rather than filtered on (never a 500)."""
        get = request.GET
        status = get.get("statut", "")
        kind = get.get("type", "")
        period = get.get("periode", "a-venir")
        return cls(
            query=get.get("q", "").strip()[:MAX_QUERY],
            status=status if status in S.values else "",
            kind=kind if kind in {k.key for k in registered_kinds()} else "",
            period=period if period in PERIODS else "a-venir",
            start=safe_date(get.get("du")),
            end=safe_date(get.get("au")),
        )


def person_q(query, prefix=""):
    """Registrations whose person or organisation matches ``query``."""
    return (
        Q(**{f"{prefix}first_name__icontains": query})
        | Q(**{f"{prefix}last_name__icontains": query})
        | Q(**{f"{prefix}email__icontains": query})
        | Q(**{f"{prefix}organisation_name__icontains": query})
        | Q(**{f"{prefix}organisation__name__icontains": query})
        | Q(**{f"{prefix}supplier__name__icontains": query})
    )


def filtered_occurrences(filters, now):
    rows = Occurrence.objects.select_related("page")
    if filters.period == "a-venir":
        rows = rows.upcoming(now)
    elif filters.period == "passees":
        rows = rows.past(now)
    else:
        rows = rows.order_by("-start", "-pk")
    if filters.start:
        rows = rows.filter(start__date__gte=filters.start)
    if filters.end:
        rows = rows.filter(start__date__lte=filters.end)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(Exists(Registration.objects.filter(occurrence=OuterRef("pk"), status=filters.status)))
    if filters.query:
        people = Registration.objects.filter(person_q(filters.query), occurrence=OuterRef("pk"))
        rows = rows.filter(Q(page__title__icontains=filters.query) | Exists(people))
    return rows


def status_counts(occurrences):
    """{status: number of registrations} over the filtered dates (one query)."""
    counts = dict.fromkeys(S.values, 0)
    counts.update(
        Registration.objects.filter(occurrence__in=occurrences.values("pk"))
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return counts


def matching_registrations(filters, occurrences):
    """The registrations the search found (a person or an organisation), at most 50."""
    if not filters.query:
        return []
    rows = Registration.objects.filter(person_q(filters.query), occurrence__in=occurrences.values("pk"))
    if filters.status:
        rows = rows.filter(status=filters.status)
    return list(rows.select_related("occurrence__page", "organisation").order_by("-occurrence__start", "pk")[:50])


def occurrence_index(request):
    filters = IndexFilters.from_request(request)
    occurrences = filtered_occurrences(filters, timezone.now())
    page = Paginator(occurrences.with_seat_counts(), 50).get_page(request.GET.get("p"))
    for occurrence in page:
        occurrence.kind_label = kind_label(occurrence.kind)
    counts = status_counts(occurrences)
    params = request.GET.copy()
    params.pop("p", None)
    return render(
        request,
        "registrations/admin/occurrence_index.html",
        {
            "occurrences": page,
            "filters": filters,
            "statuses": [(value, label, counts[value]) for value, label in S.choices],
            "kinds": [(k.key, kind_label(k.key)) for k in registered_kinds()],
            "periods": [("a-venir", _("À venir")), ("passees", _("Passées")), ("toutes", _("Toutes"))],
            "found": matching_registrations(filters, occurrences),
            "querystring": params.urlencode(),
        },
    )
