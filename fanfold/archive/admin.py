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
        "guest_comments",
        "signup_mode",
        "invitations_per_day",
        "held_first_comments",
        "guest_link_limit",
        "guests_paused",
        "read_only",
    )

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
