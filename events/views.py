"""iCalendar feeds: public (with the agenda's filters), per sector, kind, working group, event,
and the personal token feed. Conditional GETs answer 304 from validators computed from the data
(last change and row count), never from the bytes (icalendar stamps the current time)."""

import datetime
import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wagtail.models import Page

from base.caching import DATES, data_version
from members.audience import Audience, audiences_for
from members.privacy import page_is_restricted, page_is_viewable
from registrations.kinds import is_kind, kind_label
from registrations.models import Occurrence, OccurrenceStatus, Registration
from registrations.models.registrations import ACTIVE_STATUSES
from sectors.models import Sector
from workinggroups.models import WorkingGroupPage

from . import conf
from .ical import build_calendar, feed_bytes
from .models import CalendarToken
from .queries import AgendaFilters, public_feed_occurrences


def _window(occurrences):
    since = timezone.now() - datetime.timedelta(days=conf.feed_past_days())
    return occurrences.filter(end__gte=since)


def _validators(occurrences, also_changed=None):
    """(etag, last_modified) from the data: last change of an occurrence or its page, and count
    (``also_changed``: another last change the feed depends on, such as the person's places)."""
    stats = occurrences.order_by().aggregate(
        count=Count("pk"), changed=Max("updated_at"), published=Max("page__last_published_at")
    )
    moments = [m for m in (stats["changed"], stats["published"], also_changed) if m]
    last = max(moments) if moments else None
    raw = f"{stats['count']}:{last.isoformat() if last else '-'}"
    return quote_etag(hashlib.sha256(raw.encode()).hexdigest()[:32]), last


def _shared_validators(shared_key, occurrences):
    """A public feed's validators, computed once per data version of the feeds (renewed with the
    page cache: publication, a date cancelled or moved) and at most once a page-cache lifetime
    (dates leave the window as time passes), instead of on every poll."""
    key = f"feed-validators:{data_version(tags=[DATES])}:{shared_key}"
    pages = caches["pages"]
    cached = pages.get(key)
    if cached is None:
        cached = _validators(occurrences)
        pages.set(key, cached, settings.PAGE_CACHE_SECONDS)
    return cached


def _not_modified(request, etag, last):
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    return bool(since and last and int(last.timestamp()) <= since)


def feed_response(
    request,
    occurrences,
    *,
    name,
    filename,
    private=False,
    online_links=False,
    as_series=True,
    also_changed=None,
    shared_key=None,
):
    """The feed of ``occurrences``. ``private``: personal, never stored by shared caches;
    ``online_links``: carries the connection links (only the personal feed of registered people);
    ``shared_key``: names a public feed (its filters), whose validators are then computed once
    per data version."""
    occurrences = _window(occurrences)
    if shared_key is None or private or online_links or not as_series:
        etag, last = _validators(occurrences, also_changed)
    else:
        etag, last = _shared_validators(shared_key, occurrences)
    if _not_modified(request, etag, last):
        response = HttpResponseNotModified()
    else:
        if online_links or not as_series:
            cal = build_calendar(
                list(occurrences.order_by("start", "pk")),
                name=name,
                request=request,
                include_online_url=online_links,
                as_series=as_series,
            )
            body = cal.to_ical()
        else:
            body = feed_bytes(occurrences, name=name)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    response["ETag"] = etag
    if last:
        response["Last-Modified"] = http_date(last.timestamp())
    if private:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    else:
        response["Cache-Control"] = f"public, max-age={conf.feed_max_age()}"
    return response


@require_GET
def public_feed(request):
    filters = AgendaFilters(request.GET)
    occurrences = filters.apply(public_feed_occurrences())
    return feed_response(
        request,
        occurrences,
        name=_("RESECO — agenda"),
        filename="reseco-agenda",
        shared_key=f"agenda?{filters.query()}",
    )


@require_GET
def sector_feed(request, slug):
    sector = get_object_or_404(Sector, slug=slug)
    occurrences = public_feed_occurrences().filter(page__eventpage__sector=sector)
    name = _("RESECO — %(name)s") % {"name": sector.name}
    return feed_response(request, occurrences, name=name, filename=slug, shared_key=f"sector:{slug}")


@require_GET
def kind_feed(request, kind):
    if not is_kind(kind):
        raise Http404(_("Ce type d'événement n'existe pas."))
    occurrences = public_feed_occurrences().filter(kind=kind)
    name = _("RESECO — %(name)s") % {"name": kind_label(kind)}
    return feed_response(request, occurrences, name=name, filename=kind, shared_key=f"kind:{kind}")


@require_GET
def working_group_feed(request, slug):
    group = WorkingGroupPage.objects.live().filter(slug=slug).first()
    if group is None:
        raise Http404(_("Ce groupe de travail n'existe pas."))
    occurrences = public_feed_occurrences().filter(page__eventpage__working_group=group)
    name = _("RESECO — %(name)s") % {"name": group.title}
    return feed_response(request, occurrences, name=name, filename=slug, shared_key=f"group:{slug}")


@require_GET
def event_feed(request, page_id):
    """An event's feed, for whoever may open its page (the page's own privacy rule): what the
    page shows, never the online link. A restricted page's feed is private to the visitor."""
    page = Page.objects.live().filter(pk=page_id).first()
    if page is None or not page_is_viewable(page, request) or not Occurrence.objects.filter(page_id=page_id).exists():
        raise Http404(_("Cet événement n'existe pas ou n'est pas public."))
    occurrences = Occurrence.objects.filter(page_id=page_id).select_related("page")
    private = page_is_restricted(page, request)
    return feed_response(
        request,
        occurrences,
        name=page.title,
        filename=f"evenement-{page_id}",
        private=private,
        shared_key=f"event:{page_id}",
    )


@require_GET
def personal_feed(request, token):
    found = CalendarToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if found is None:
        raise Http404(_("Ce lien d'agenda personnel n'existe pas ou a été révoqué."))
    # Occurrences the person is registered for, and those cancelled while they were (so that
    # their calendar shows them as cancelled rather than silently dropping them).
    mine = Q(registrations__status__in=ACTIVE_STATUSES) | Q(status=OccurrenceStatus.CANCELLED)
    # The person's place on each: only a seat (not the waiting list) confirms it and gives the link.
    place = Registration.objects.filter(occurrence=OuterRef("pk"), user=found.user, status__in=ACTIVE_STATUSES).values(
        "status"
    )[:1]
    occurrences = (
        Occurrence.objects.live()
        .filter(mine, registrations__user=found.user)
        .exclude(audience__in=[a for a in Audience.values if a not in audiences_for(found.user)])
        .distinct()
        .annotate(registration_status=Subquery(place))
        .select_related("page")
    )
    return feed_response(
        request,
        occurrences,
        name=_("RESECO — mon agenda"),
        filename="reseco-mon-agenda",
        private=True,
        online_links=True,
        as_series=False,
        # a place confirmed from the waiting list changes the feed, not the occurrence
        also_changed=Registration.objects.filter(user=found.user).aggregate(last=Max("updated_at"))["last"],
    )


@login_required
@require_POST
def regenerate_token(request):
    """Create or replace the person's personal feed token (the old link stops working)."""
    CalendarToken.objects.filter(user=request.user).delete()
    CalendarToken.objects.create(user=request.user)
    messages.success(request, _("Votre nouveau lien d'agenda personnel est prêt ; l'ancien ne fonctionne plus."))
    return redirect("members:account")


@login_required
@require_POST
def revoke_token(request):
    deleted, _rows = CalendarToken.objects.filter(user=request.user).delete()
    if deleted:
        messages.success(request, _("Votre lien d'agenda personnel est révoqué."))
    return redirect("members:account")
