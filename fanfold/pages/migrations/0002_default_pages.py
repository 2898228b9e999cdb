"""A new archive's first pages, and the rules and terms text that used to live in the
site settings (moved here before those settings fields are removed, so nothing is lost)."""

from django.db import migrations

from fanfold.pages.defaults import create_default_pages

# Site settings field that held each page's text before this app existed.
FROM_SETTINGS = {"rules": "rules", "terms": "terms"}


def create_pages(apps, schema_editor):
    SiteSettings = apps.get_model("archive", "SiteSettings")
    site = SiteSettings.objects.filter(pk=1).first()
    written = {slug: getattr(site, field) for slug, field in FROM_SETTINGS.items()} if site else {}
    create_default_pages(apps.get_model("pages", "Page"), written)


def restore_settings(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    SiteSettings = apps.get_model("archive", "SiteSettings")
    site = SiteSettings.objects.filter(pk=1).first()
    if site is None:
        return
    for slug, field in FROM_SETTINGS.items():
        page = Page.objects.filter(slug=slug).first()
        if page is not None:
            setattr(site, field, page.body)
            setattr(site, f"{field}_html", page.body_html)
    site.save()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("archive", "0004_sitesettings_works_need_approval"),
    ]
    operations = [migrations.RunPython(create_pages, restore_settings)]
