"""Library services: members-only privacy for minutes and documents, through Wagtail's own
restrictions so editors see and change it in the admin."""

from django.db import transaction

from wagtail.models import PageViewRestriction

from members.services import MEMBERS_COLLECTION, members_documents_collection, members_only_groups

# Moved down to members/ (grouped purchases store their conventions there too); kept importable here.
__all__ = ["MEMBERS_COLLECTION", "members_documents_collection", "is_restricted", "restrict_to_members"]


def is_restricted(page):
    """Whether ``page`` or one of its ancestors carries a view restriction."""
    return bool(page.get_view_restrictions())


@transaction.atomic
def restrict_to_members(page):
    """Make ``page`` members-only unless it is already restricted (itself or by an ancestor)."""
    if is_restricted(page):
        return False
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(*members_only_groups())
    return True


def restrict_new_minutes(sender, instance, revision=None, **kwargs):
    """``page_published`` receiver: minutes are members-only by default, on their first publication.
    An editor may lift the restriction afterwards; later publications leave it as they set it."""
    if instance.first_published_at and instance.first_published_at != instance.last_published_at:
        return
    restrict_to_members(instance)
