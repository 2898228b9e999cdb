from django.contrib import admin

from fanfold.challenges.models import Challenge


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "created_at")
    search_fields = ("title",)
    autocomplete_fields = ("fandoms", "characters")

    def save_model(self, request, obj, form, change):
        from fanfold.markup import render_text

        obj.summary_html = render_text(obj.summary, "html")
        super().save_model(request, obj, form, change)
