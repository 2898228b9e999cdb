from django.contrib import admin

from fanfold.archive.models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fields = (
        "site_name",
        "tagline",
        "welcome",
        "disclaimer",
        "works_need_approval",
    )

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
