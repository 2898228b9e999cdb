from django.contrib import admin

from fanfold.tags.models import Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "canonical", "merger", "adult", "sort_order")
    list_filter = ("type", "canonical", "adult")
    search_fields = ("name",)
    autocomplete_fields = ("merger", "parents")
    readonly_fields = ("key", "created_at")
