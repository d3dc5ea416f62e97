"""What /agenda/ and an event page show: occurrences (events and trainings alike) read from the
engine's rows joined to their pages, in a fixed number of queries whatever their number."""

import calendar
import datetime
import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import CharField, Exists, ExpressionWrapper, F, OuterRef
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wagtail.models import Page, PageViewRestriction

from base.caching import DATES, data_version
from base.templatetags.fragments import cached_fragment, fragment_key
from members.audience import Audience, audiences_for
from members.privacy import refused_page_paths, viewable_pages
from registrations.kinds import kind_label, registered_kinds
from registrations.models import Occurrence, Registration
from registrations.models.registrations import ACTIVE_STATUSES
from sectors.models import Sector
from workinggroups.models import WorkingGroupPage

from .models import EventFormat
from .schedule import local_zone

PER_PAGE = 20
VIEWS = ("liste", "mois", "archives")


def kind_choices():
    """Every kind of occurrence the owner apps declared (events' kinds, trainings…)."""
    return [(kind.key, kind.label) for kind in registered_kinds()]


def visible_occurrences(request):
    """Live occurrences of pages the visitor may open, by the page's own rule (Wagtail privacy:
    login, groups, password), with their page and seat counts."""
    occurrences = Occurrence.objects.live().select_related("page").with_seat_counts()
    return occurrences.filter(page__in=viewable_pages(Page.objects.all(), request).values("pk"))


def public_feed_occurrences():
    """What anonymous feeds carry: what public pages show to anyone (members-only activities
    included: their pages are public, only taking part is reserved), never a restricted page.
    The privacy rule is a subquery (Wagtail's ``.public()`` reads the restrictions first): a
    feed answered from its cached validators (a 304) runs no query at all."""
    outer_path = ExpressionWrapper(OuterRef("page__path"), output_field=CharField())
    restricted = PageViewRestriction.objects.annotate(target=outer_path).filter(target__startswith=F("page__path"))
    return Occurrence.objects.live().exclude(Exists(restricted)).select_related("page")


def _shared_choices(name, read):
    cache = caches["pages"]
    key = f"choices:agenda:{name}"
    choices = cache.get(key)
    if choices is None:
        choices = [tuple(choice) for choice in read()]
        cache.set(key, choices, settings.PAGE_CACHE_SECONDS)
    return choices


class AgendaFilters:
    """The agenda's filters, validated against known values; unknown ones are ignored with a notice."""

    def __init__(self, params):
        self.params = params
        self.notices = []
        self.values = {}
        self.labels = {
            "type": _("Type"),
            "secteur": _("Secteur ou thème"),
            "groupe": _("Groupe de travail"),
            "public": _("Public"),
            "format": _("Format"),
        }
        for name, label in self.labels.items():
            value = (params.get(name) or "").strip()
            if not value:
                continue
            if value in {key for key, _label in self.choices(name)}:
                self.values[name] = value
            else:
                self.notices.append(
                    _("Le filtre « %(label)s » a une valeur inconnue ; il a été ignoré.") % {"label": label}
                )

    # The sectors' and groups' choices are the same for everyone: shared from the page cache,
    # which a publication or a changed sector empties.
    @cached_property
    def sectors(self):
        return _shared_choices("sectors", lambda: list(Sector.objects.in_use_order().values_list("slug", "name")))

    @cached_property
    def groups(self):
        live = WorkingGroupPage.objects.live().order_by("title")
        return _shared_choices("groups", lambda: list(live.values_list("slug", "title")))

    def choices(self, name):
        """Known values of a filter (sectors and groups are read only when needed: one query each)."""
        if name == "secteur":
            return self.sectors
        if name == "groupe":
            return self.groups
        return {"type": kind_choices(), "public": list(Audience.choices), "format": list(EventFormat.choices)}[name]

    def apply(self, occurrences):
        v = self.values
        if "type" in v:
            occurrences = occurrences.filter(kind=v["type"])
        if "public" in v:
            occurrences = occurrences.filter(audience=v["public"])
        if "secteur" in v:
            occurrences = occurrences.filter(page__eventpage__sector__slug=v["secteur"])
        if "groupe" in v:
            occurrences = occurrences.filter(page__eventpage__working_group__slug=v["groupe"])
        if "format" in v:
            occurrences = occurrences.filter(page__eventpage__format=v["format"])
        return occurrences

    def fields(self):
        """(name, label, [(value, label, selected)]) for the filter form."""
        return [
            (name, label, [(key, text, self.values.get(name) == key) for key, text in self.choices(name)])
            for name, label in self.labels.items()
        ]

    def query(self, **extra):
        params = {**self.values, **{k: v for k, v in extra.items() if v}}
        return urlencode(params)


def parse_month(value, notices):
    today = timezone.localdate()
    if not value:
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in value.split("-"))
        if not 1900 <= year <= 2200:
            raise ValueError
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        notices.append(_("Le mois demandé n'est pas valide (format attendu : 2026-03) ; voici le mois en cours."))
        return today.replace(day=1)


def paginate(items, number):
    paginator = Paginator(items, PER_PAGE)
    try:
        return paginator.page(number or 1)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(_("Cette page de l'agenda n'existe pas.")) from error


def month_grid(first, occurrences):
    """Weeks (Monday first) of ``first``'s month; each day is (date, [occurrences]) or None."""
    zone = local_zone()
    by_day = {}
    for occ in occurrences:
        day = timezone.localtime(occ.start, zone).date()
        by_day.setdefault(day, []).append(occ)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append([(day, by_day.get(day, [])) if day.month == first.month else None for day in week])
    return weeks


def listing_key(request, view, filters, month):
    """The cache key of the agenda's listing (base.templatetags.fragments): the dates' data
    version (renewed by publication and by a date cancelled or moved; the fragment lives a
    page-cache lifetime, as dates pass), what is asked (view, filters, month, page number) and
    what this visitor may see (the restricted pages they may not open). The listing shows
    nothing about the person: two visitors with the same key see the same dates."""
    parts = [
        view,
        filters.query(),
        f"{month:%Y-%m}" if month else "",
        request.GET.get("page") or "1",
        "|".join(refused_page_paths(request)),
        get_language() or "",
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f"fragment:agenda:{data_version(tags=[DATES])}:{digest}"


def agenda_context(request, index):
    view = request.GET.get("vue") or "liste"
    filters = AgendaFilters(request.GET)
    notices = filters.notices
    if view not in VIEWS:
        notices.append(_("Cet affichage n'existe pas ; voici la liste."))
        view = "liste"
    now = timezone.now()
    context = {
        "view": view,
        "filters": filters,
        "filter_fields": filters.fields(),
        "notices": notices,
        "filter_query": filters.query(),
        "feed_url": public_feed_url(filters),
    }
    first = parse_month(request.GET.get("mois"), notices) if view == "mois" else None
    key = listing_key(request, view, filters, first)
    html = cached_fragment(key)
    if html is not None:
        context.update(month=first, listing_html=html)
        return context
    context["listing_key"] = key
    occurrences = filters.apply(visible_occurrences(request))
    if view == "mois":
        last = (first + datetime.timedelta(days=32)).replace(day=1)
        zone = local_zone()
        start = datetime.datetime.combine(first, datetime.time(0), zone)
        end = datetime.datetime.combine(last, datetime.time(0), zone)
        month_rows = list(occurrences.between(start, end).order_by("start", "pk"))
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        context.update(
            month=first,
            weeks=month_grid(first, month_rows),
            month_occurrences=month_rows,
            previous_query=filters.query(vue="mois", mois=f"{previous:%Y-%m}"),
            next_query=filters.query(vue="mois", mois=f"{last:%Y-%m}"),
        )
    elif view == "archives":
        page = paginate(occurrences.past(now), request.GET.get("page"))
        context.update(page_obj=page, occurrences=page.object_list)
    else:
        page = paginate(occurrences.upcoming(now), request.GET.get("page"))
        context.update(page_obj=page, occurrences=page.object_list)
    return context


def public_feed_url(filters):
    url = reverse("events:public_feed")
    query = filters.query()
    return f"{url}?{query}" if query else url


def next_events(request, *, limit=4):
    """The home page's "Prochains rendez-vous": one query."""
    return list(visible_occurrences(request).scheduled().upcoming()[:limit])


NEXT_SHOWN = 12


def _registered_ids(request, page):
    """The person's active registrations to this page's dates (one query; none for a visitor)."""
    if not request.user.is_authenticated:
        return []
    mine = Registration.objects.filter(user=request.user, occurrence__page_id=page.pk, status__in=ACTIVE_STATUSES)
    return sorted(mine.values_list("occurrence_id", flat=True))


def event_context(request, page):
    """An event page: its next occurrences (cancelled and moved ones with their reason), seats
    left, and the online link for people registered to one of its occurrences.

    The page's body is shared from the cache (base.templatetags.fragments) by the people to whom
    it shows the same thing: the key holds the page's data version (renewed by a seat taken or
    freed, a date cancelled or moved, a publication), whether the person is logged in, the audiences they may take
    part in, the dates they are registered to and whether the page is restricted. On a hit, none of the
    dates' queries run."""
    # The feed accepts whoever may open the page (events.views.event_feed); calendar servers
    # fetch without a session, so a restricted page offers the download, not a subscription.
    # Wagtail's privacy check has just read the page's restrictions (kept on the page instance).
    feed_is_public = not page.get_view_restrictions().exists()
    registered_ids = _registered_ids(request, page)
    audiences = sorted(audiences_for(request.user))
    person = (request.user.is_authenticated, audiences, registered_ids)  # all the body shows of the person
    key = fragment_key(request, "event", page.pk, person, feed_is_public, paths=[request.path], tags=[DATES])
    cached = caches["pages"].get_many([key, f"{key}:feed"]) if key else {}
    if key in cached and f"{key}:feed" in cached:
        return {"event_html": mark_safe(cached[key]), "feed_url": cached[f"{key}:feed"]}  # noqa: S308 (ours, escaped)
    now = timezone.now()
    upcoming = list(page.occurrences.all().with_seat_counts().upcoming(now)[:NEXT_SHOWN])
    for occurrence in upcoming:
        occurrence.is_registered = occurrence.pk in registered_ids
    has_dates = bool(upcoming) or page.occurrences.exists()
    feed_url = reverse("events:event_feed", kwargs={"page_id": page.pk}) if has_dates else None
    if key:
        caches["pages"].set(f"{key}:feed", feed_url or "", settings.PAGE_CACHE_SECONDS)
    return {
        "event_key": key,
        "feed_url": feed_url,
        "feed_is_public": feed_is_public,
        "next_occurrences": upcoming,
        "is_registered": any(occ.is_registered for occ in upcoming),
        "may_take_part": page.audience in audiences,
        "kind_label": kind_label(page.kind),
    }
