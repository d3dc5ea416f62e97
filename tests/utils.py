"""Test helpers shared by several test modules."""

from django.apps import apps as global_apps

from wagtail.models import Collection, Locale, Page


def restore_migration_data():
    """Recreate what migrations put in the database, after a flush (live_server, transaction=True):
    Wagtail's root page and root collection, our groups, labels and sectors."""
    import importlib

    Locale.objects.get_or_create(language_code="fr")
    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root", slug="root", content_type_id=_page_content_type()))
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    for module, function in (
        ("members.migrations.0002_groups_and_labels", "create_groups_and_labels"),
        ("sectors.migrations.0002_network_sectors", "create_sectors"),
    ):
        getattr(importlib.import_module(module), function)(global_apps, None)


def _page_content_type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Page).pk
