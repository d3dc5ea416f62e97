"""Separation of keys: editors lose the permissions that open Wagtail's « Utilisateurs » and
« Groupes » (create a superuser, set an administrator's password) and get ``manage_people``,
which opens « Réseau › Personnes » only."""

from django.db import migrations
from django.db.models import Q

EDITORS_GROUP = "Éditeurs"
# A frozen copy of members.permissions.STAFF_KEY_CODENAMES: what this migration did must not
# change when the live list does.
STAFF_KEYS = {
    "members": ["add_user", "change_user", "delete_user", "view_user"],
    "auth": [
        "add_group",
        "change_group",
        "delete_group",
        "view_group",
        "add_permission",
        "change_permission",
        "delete_permission",
        "view_permission",
    ],
}


def separate_keys(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group = Group.objects.filter(name=EDITORS_GROUP).first()
    if group is None:
        return
    keys = Q(pk__in=[])
    for app_label, codenames in STAFF_KEYS.items():
        keys |= Q(content_type__app_label=app_label, codename__in=codenames)
    group.permissions.remove(*Permission.objects.filter(keys))
    # The permission rows of a new Meta option are created after migrating: make this one now.
    content_type, _ = ContentType.objects.get_or_create(app_label="members", model="user")
    manage_people, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="manage_people",
        defaults={"name": "Gérer les personnes des membres et fournisseurs"},
    )
    group.permissions.add(manage_people)


def give_keys_back(apps, schema_editor):
    """Reversing restores what editors held before (add, change and view people)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=EDITORS_GROUP).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="members", codename__in=["add_user", "change_user", "view_user"]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_french_moderation_workflow"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="user",
            options={
                "ordering": ["last_name", "first_name"],
                "permissions": [("manage_people", "Gérer les personnes des membres et fournisseurs")],
                "verbose_name": "personne",
                "verbose_name_plural": "personnes",
            },
        ),
        migrations.RunPython(separate_keys, give_keys_back),
    ]
