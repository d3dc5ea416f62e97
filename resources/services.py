"""Library services: members-only privacy for minutes and documents, through Wagtail's own
restrictions so editors see and change it in the admin."""

from django.db import transaction

from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from members.services import members_only_groups

MEMBERS_COLLECTION = "Documents réservés aux membres"


@transaction.atomic
def members_documents_collection():
    """The collection whose documents only members may download (created once, idempotent)."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=MEMBERS_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=MEMBERS_COLLECTION)
    restriction, _created = CollectionViewRestriction.objects.get_or_create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(*members_only_groups())
    return collection


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
