from django.db import migrations


def french_moderation(apps, schema_editor):
    from members.moderation import set_up_moderation

    set_up_moderation(apps)


class Migration(migrations.Migration):
    """Wagtail's sample groups, root titles and « Moderators approval » workflow, in French and
    approved by the « Éditeurs » (members.moderation)."""

    dependencies = [
        ("members", "0002_groups_and_labels"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(french_moderation, migrations.RunPython.noop)]
