"""What the home page lists; each section is one query whatever the number of pages."""

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
    from resources.models import ResourcePage

    latest_resources = ResourcePage.objects.live().public().defer_streamfields().order_by("-first_published_at")[:4]
    from events.queries import next_events

    return {"group_news": groups, "latest_resources": latest_resources, "next_events": next_events(request)}
