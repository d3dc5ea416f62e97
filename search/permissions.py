"""Give the network's editors (group « Éditeurs ») what the library needs, after every migrate."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from members.models import EDITORS_GROUP

EDITOR_PERMISSIONS = {
    "helpdesk": [
        "add_faqentry",
        "change_faqentry",
        "delete_faqentry",
        "view_faqentry",
        "view_question",
        "change_question",
    ],
    "wagtailsearchpromotions": [
        "add_searchpromotion",
        "change_searchpromotion",
        "delete_searchpromotion",
        "view_searchpromotion",
        "add_query",
        "change_query",
        "view_query",
    ],
    "search": ["view_searchlog"],
}


def grant_editor_permissions(sender=None, using="default", **kwargs):
    """post_migrate receiver, idempotent. Our apps' receivers may run before auth's, so the
    permissions are created first."""

    group = Group.objects.using(using).filter(name=EDITORS_GROUP).first()
    if group is None:
        return
    for app_label, codenames in EDITOR_PERMISSIONS.items():
        create_permissions(apps.get_app_config(app_label), verbosity=0, using=using)
        group.permissions.add(
            *Permission.objects.using(using).filter(content_type__app_label=app_label, codename__in=codenames)
        )
