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
    return {"group_news": groups}
