from django.db import migrations


def create_sectors(apps, schema_editor):
    from sectors.models import NETWORK_SECTORS

    Sector = apps.get_model("sectors", "Sector")
    for order, (slug, name) in enumerate(NETWORK_SECTORS):
        Sector.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("sectors", "0001_initial")]
    operations = [migrations.RunPython(create_sectors, migrations.RunPython.noop)]
