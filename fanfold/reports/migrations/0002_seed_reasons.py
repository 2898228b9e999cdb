from django.db import migrations

from fanfold.reports.seeds import seed_reasons


def seed(apps, schema_editor):
    seed_reasons(apps.get_model("reports", "ReportReason"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
