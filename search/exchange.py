"""Members' search also finds the questions of the members' exchange (« Entraide »): never for
suppliers or the public (``exchange.services.may_take_part``), never a hidden question."""

from django.utils.translation import gettext_lazy as _

from wagtail.search.backends import get_search_backend

from exchange.models import ExchangeIndexPage, Question
from exchange.services import may_take_part
from members.privacy import viewable_pages

EXCHANGE = "entraide"
LABEL = _("Question entre membres")


def hits(request, terms, limit):
    """(hits, found) for ``request``'s user: at most ``limit`` matching questions."""
    if not may_take_part(request.user):
        return []
    found = (
        get_search_backend()
        .search(terms, Question.objects.filter(hidden=False), operator="and")
        .annotate_score("_score")[:limit]
    )
    return [{"object": q, "type": EXCHANGE, "sector": q.sector_id, "score": q._score or 0} for q in found]


def hide_choice(form, request):
    """The « type » filter offers the exchange to members only."""
    if not may_take_part(request.user):
        form.fields["type"].choices = [c for c in form.fields["type"].choices if c[0] != EXCHANGE]


def base_url(request):
    page = viewable_pages(ExchangeIndexPage.objects.live(), request).first()
    return page.get_url(request) if page else ""
