"""A new archive's first pages, and the rules and terms text that used to live in the
site settings (moved here before those settings fields are removed, so nothing is lost)."""

from django.db import migrations
from django.utils import timezone

from fanfold.markup import Profile, render_text
from fanfold.pages.defaults import DEFAULT_PAGES

# Site settings field that held each page's text before this app existed.
FROM_SETTINGS = {"rules": "rules", "terms": "terms"}


def create_pages(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    SiteSettings = apps.get_model("archive", "SiteSettings")
    site = SiteSettings.objects.filter(pk=1).first()
    now = timezone.now()
    for default in DEFAULT_PAGES:
        if Page.objects.filter(slug=default.slug).exists():
            continue
        body, fmt = default.body, "markdown"
        field = FROM_SETTINGS.get(default.slug)
        if site is not None and field and getattr(site, field).strip():
            # What staff wrote in the old settings field (HTML) wins over our default.
            body, fmt = getattr(site, field).strip(), "html"
        Page.objects.create(
            slug=default.slug,
            title=default.title,
            order=default.order,
            body=body,
            text_format=fmt,
            body_html=render_text(body, fmt, Profile.WORK),
            show_in_footer=True,
            created_at=now,
            updated_at=now,
        )


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
