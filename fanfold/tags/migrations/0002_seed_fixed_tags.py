from django.db import migrations


def seed(apps, schema_editor):
    from fanfold.tags.seeds import seed_fixed_tags

    seed_fixed_tags(apps.get_model("tags", "Tag"))


class Migration(migrations.Migration):
    dependencies = [("tags", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
