from django.db import migrations

DISCLAIMER = (
    "<p>The characters and settings in these stories belong to their respective "
    "owners. The stories themselves belong to their authors. No money is being made, "
    "and no infringement is intended.</p>"
)


def create_row(apps, schema_editor):
    SiteSettings = apps.get_model("archive", "SiteSettings")
    if not SiteSettings.objects.filter(pk=1).exists():
        # The historical model has no custom save(), so the HTML copy is set directly;
        # this text is ours and already clean.
        SiteSettings.objects.create(pk=1, disclaimer=DISCLAIMER, disclaimer_html=DISCLAIMER)


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]
    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
