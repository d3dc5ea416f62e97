from django.db import migrations


def copy_run_keys(apps, schema_editor):
    """The run's key becomes its occurrence's own key (the engine owns each date's identity)."""
    RunOccurrence = apps.get_model("trainings", "RunOccurrence")
    Occurrence = apps.get_model("registrations", "Occurrence")
    for link in RunOccurrence.objects.all().iterator():
        Occurrence.objects.filter(pk=link.occurrence_id).update(key=str(link.key))


def copy_keys_back(apps, schema_editor):
    RunOccurrence = apps.get_model("trainings", "RunOccurrence")
    Occurrence = apps.get_model("registrations", "Occurrence")
    RunOccurrence.objects.bulk_create(
        RunOccurrence(key=occ.key, occurrence_id=occ.pk)
        for occ in Occurrence.objects.filter(kind="training").exclude(key="")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0002_runoccurrence_trainingpage_trainingrun"),
        ("registrations", "0003_occurrence_key_schedule_note"),
    ]

    operations = [
        migrations.RunPython(copy_run_keys, copy_keys_back),
        migrations.DeleteModel(name="RunOccurrence"),
    ]
