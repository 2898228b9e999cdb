from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from fanfold.tags.models import Tag
from fanfold.tags.services import tag_set_description


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "canonical", "merger", "adult", "sort_order")
    list_filter = ("type", "canonical", "adult")
    search_fields = ("name",)
    # What tags mean for filtering (name, type, synonyms, parents) changes only through
    # the wrangling pages, whose services keep the filter indexes and caches in step.
    # Here staff edit presentation: the adult flag, warning text, order, symbol and the
    # description shown on the tag's page.
    fields = ("wrangle_link", "adult", "warning_text", "sort_order", "symbol", "description")
    readonly_fields = ("wrangle_link",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "description" in form.changed_data:
            tag_set_description(tag=obj, description=obj.description)

    def has_add_permission(self, request):
        return False

    @admin.display(description="Name, type, synonyms and parents")
    def wrangle_link(self, obj: Tag) -> str:
        url = reverse("tags:edit", args=[obj.url_name])
        return format_html(
            '{} ({}) — <a href="{}">edit on the wrangling page</a>',
            obj.name,
            obj.get_type_display(),
            url,
        )
