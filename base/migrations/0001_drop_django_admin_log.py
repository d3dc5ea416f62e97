"""django.contrib.admin is no longer installed (Wagtail's admin is the only one): drop the table
it left in existing databases. Its foreign key to the user table would otherwise block deleting
a person and flushing the database."""

from django.db import migrations


def drop_admin_log(apps, schema_editor):
    if "django_admin_log" in schema_editor.connection.introspection.table_names():
        cascade = " CASCADE" if schema_editor.connection.vendor == "postgresql" else ""
        schema_editor.execute(f"DROP TABLE django_admin_log{cascade}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(drop_admin_log, migrations.RunPython.noop)]
