"""Membership: keeps the privacy groups in step with organisations' membership dates."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from wagtail.models import Collection, CollectionViewRestriction, GroupCollectionPermission, GroupPagePermission, Page

from .models import EDITORS_GROUP, MEMBERS_GROUP, SUPPLIERS_GROUP, Organisation, User
from .permissions import staff_keys


def member_group():
    return Group.objects.get_or_create(name=MEMBERS_GROUP)[0]


def supplier_group():
    return Group.objects.get_or_create(name=SUPPLIERS_GROUP)[0]


def editor_group():
    return Group.objects.get_or_create(name=EDITORS_GROUP)[0]


def members_only_groups():
    """Who may see members-only pages and documents: the members, and the staff who publish them."""
    return [member_group(), editor_group()]


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


@transaction.atomic
def sync_groups(user):
    """Put ``user`` in "Membres" while their organisation is a member, in "Fournisseurs" while
    they speak for a supplier; take them out otherwise. Safe to call any number of times."""
    members, suppliers = member_group(), supplier_group()
    if user.is_member:
        user.groups.add(members)
    else:
        user.groups.remove(members)
    if user.is_supplier:
        user.groups.add(suppliers)
    else:
        user.groups.remove(suppliers)


@transaction.atomic
def sync_all_memberships():
    """Periodic job: membership ends on a date, so the groups must follow the calendar."""
    members = member_group()
    current = User.objects.filter(organisation__in=Organisation.objects.current_members())
    through = User.groups.through
    stale = through.objects.filter(group=members).exclude(user__in=current)
    removed = stale.count()
    stale.delete()
    missing = current.exclude(groups=members)
    added = missing.count()
    through.objects.bulk_create([through(user_id=pk, group=members) for pk in missing.values_list("pk", flat=True)])
    return added, removed


EDITOR_PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    "members": [
        "add_organisation",
        "change_organisation",
        "view_organisation",
        "manage_people",
        "add_supplier",
        "change_supplier",
        "view_supplier",
        "add_label",
        "change_label",
        "view_label",
    ],
    "sectors": ["add_sector", "change_sector", "view_sector"],
    "registrations": [
        "add_registration",
        "change_registration",
        "view_registration",
        "view_occurrence",
        "change_occurrence",
        "add_attendance",
        "change_attendance",
        "view_attendance",
        "view_registrationchange",
    ],
    "payments": [
        "view_payment",
        "change_payment",
        "view_invoice",
        "change_invoice",
        "view_creditnote",
        "view_refund",
        "add_refund",
        "change_refund",
        "view_stripeevent",
    ],
    "helpdesk": [
        "view_question",
        "change_question",
        "add_message",
        "view_message",
        "view_attachment",
        "add_faqentry",
        "change_faqentry",
        "view_faqentry",
    ],
    "timesheets": ["add_timeentry", "change_timeentry", "view_timeentry"],
    "search": ["view_searchlog"],
    "wagtailsearchpromotions": [
        "add_searchpromotion",
        "change_searchpromotion",
        "delete_searchpromotion",
        "view_searchpromotion",
    ],
}


@transaction.atomic
def grant_editor_permissions():
    """Give the « Éditeurs » group what the network's staff need: the admin, every page, documents
    and images, and the network's records. Idempotent."""
    group = editor_group()
    # Staff accounts, groups and permissions are administrators' keys (a database that gave them
    # to editors before loses them here too).
    group.permissions.remove(*staff_keys())
    for app_label, codenames in EDITOR_PERMISSIONS.items():
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
    root = Page.get_first_root_node()
    for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=root,
            permission=Permission.objects.get(
                content_type=ContentType.objects.get(app_label="wagtailcore", model="page"), codename=codename
            ),
        )
    collection = Collection.get_first_root_node()
    for app_label, codenames in (
        ("wagtaildocs", ["add_document", "change_document", "choose_document"]),
        ("wagtailimages", ["add_image", "change_image", "choose_image"]),
    ):
        for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
    return group
