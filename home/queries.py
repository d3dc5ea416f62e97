"""What the home page lists; each section is one query whatever the number of pages."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from wagtail.models import Page

from events.models import EventPage
from events.queries import next_events
from resources.models import ResourcePage
from trainings.models import TrainingPage
from workinggroups.models import WorkingGroupPage


def homepage_sections(request):
    groups = (
        WorkingGroupPage.objects.live()
        .public()
        .defer_streamfields()
        .select_related("sector")
        .prefetch_related("periods")
        .order_by("-last_published_at")[:4]
    )
    latest_resources = ResourcePage.objects.live().public().defer_streamfields().order_by("-first_published_at")[:4]
    return {"group_news": groups, "latest_resources": latest_resources, "next_events": next_events(request)}


def _item_content_types():
    """Dated or numerous items (events, trainings, resources): the site map links their index,
    which lists and filters them, not each item."""

    models = [m for m in apps.get_models() if issubclass(m, (EventPage, TrainingPage, ResourcePage))]
    return {ct.pk for ct in ContentType.objects.get_for_models(*models).values()}


def site_map(request, home, levels=2):
    """The public page tree below ``home`` (``levels`` deep) as nested ``{page, url, children}``:
    the same for every visitor, so the page can be shared from the cache. One query."""

    pages = (
        Page.objects.live()
        .public()
        .descendant_of(home)
        .filter(depth__lte=home.depth + levels)
        .exclude(content_type_id__in=_item_content_types())
        .order_by("path")
        .only("id", "title", "path", "depth", "url_path", "content_type_id")
    )
    nodes, tree = {}, []
    for page in pages:
        parent = nodes.get(page.path[: -Page.steplen])
        if parent is None and page.depth != home.depth + 1:
            continue  # under a page left out of the map
        node = {"page": page, "url": page.get_url(request), "children": []}
        nodes[page.path] = node
        (parent["children"] if parent else tree).append(node)
    return tree
