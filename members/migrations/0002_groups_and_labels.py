from django.db import migrations


def create_groups_and_labels(apps, schema_editor):
    from members.models import DEFAULT_LABELS, EDITORS_GROUP, MEMBERS_GROUP, SUPPLIERS_GROUP

    Group = apps.get_model("auth", "Group")
    for name in (MEMBERS_GROUP, SUPPLIERS_GROUP, EDITORS_GROUP):
        Group.objects.get_or_create(name=name)
    Label = apps.get_model("members", "Label")
    for name in DEFAULT_LABELS:
        Label.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups_and_labels, migrations.RunPython.noop)]
