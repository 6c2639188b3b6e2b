from django.db import migrations

POPULATIONS = [
    ("pregnancy", "Pregnancy"),
    ("breastfeeding", "Breastfeeding"),
    ("older-adults", "Older adults"),
    ("children", "Children and young people"),
    ("kidney-disease", "Kidney disease"),
    ("liver-disease", "Liver disease"),
]


def add_populations(apps, schema_editor):
    Population = apps.get_model("interactions", "Population")
    for position, (slug, name) in enumerate(POPULATIONS):
        Population.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


def remove_populations(apps, schema_editor):
    Population = apps.get_model("interactions", "Population")
    Population.objects.filter(slug__in=[slug for slug, _ in POPULATIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("interactions", "0001_initial")]

    operations = [migrations.RunPython(add_populations, remove_populations)]
