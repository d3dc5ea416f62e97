"""What the home page lists; each section is one query whatever the number of pages."""

from events.queries import next_events
from resources.models import ResourcePage
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
