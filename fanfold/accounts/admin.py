from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from fanfold.accounts.models import Pseud, User
from fanfold.accounts.services import pseud_ensure_default, user_update_bio


class PseudInline(admin.TabularInline):
    model = Pseud
    extra = 0
    fields = ("name", "is_default", "description", "created_at")
    # Switching the default and deleting go through the site's own pages, which keep
    # exactly one default and refuse to drop a pseud that is credited on works.
    readonly_fields = ("is_default", "created_at")
    can_delete = False


@admin.register(User)
class FanfoldUserAdmin(UserAdmin):
    inlines = [PseudInline]
    list_display = ("username", "email", "email_verified", "is_staff", "is_active", "date_joined")
    list_filter = ("email_verified", "trusted_author", "is_staff", "is_superuser", "is_active")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("E-mail", {"fields": ("email_verified",)}),
        # Trusted authors' new works skip the moderation queue (site settings).
        ("Moderation", {"fields": ("trusted_author",)}),
        ("Profile", {"fields": ("bio",)}),
        (
            "Preferences",
            {
                "classes": ("collapse",),
                "fields": (
                    "view_adult",
                    "hide_warnings",
                    "hide_freeform",
                    "view_full_work",
                    "theme",
                    "font_size",
                    "allow_cocreator",
                ),
            },
        ),
    )

    def get_inlines(self, request, obj):
        # A new account has no pseuds until it is saved (see save_model).
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            pseud_ensure_default(user=obj)
        if "bio" in form.changed_data:
            # Profiles show bio_html, so it must be rendered again from the new text.
            user_update_bio(user=obj, bio=obj.bio)
