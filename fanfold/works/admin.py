from django.contrib import admin

from fanfold.works.models import Chapter, Creatorship, SerialWork, Series, Work
from fanfold.works.services import work_refresh
from fanfold.works.staff_services import work_set_featured, work_set_hidden


class CreatorshipInline(admin.TabularInline):
    model = Creatorship
    extra = 0
    raw_id_fields = ("pseud",)


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "posted",
        "approval",
        "restricted",
        "hidden_by_admin",
        "featured",
        "word_count",
        "updated_at",
    )
    # Approval is decided in the moderation queue (/moderation/works), which also sends
    # the notices and e-mails; here it is only a filter.
    list_filter = ("posted", "approval", "restricted", "hidden_by_admin", "featured", "language")
    search_fields = ("title",)
    inlines = [CreatorshipInline]
    # Text and derived fields are edited through the site's posting pages so that
    # sanitising, word counts and cache invalidation always happen.
    fields = ("title", "hidden_by_admin", "hidden_reason", "restricted", "comment_permission")
    # Hiding goes through the audited service (the actions below), never a bare save.
    readonly_fields = ("hidden_by_admin", "hidden_reason")
    actions = ["hide", "unhide", "feature", "unfeature"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        work_refresh(work=obj)

    @admin.action(description="Hide selected works from the archive")
    def hide(self, request, queryset):
        for work in queryset:
            work_set_hidden(work=work, hidden=True, actor=request.user)

    @admin.action(description="Show selected works again")
    def unhide(self, request, queryset):
        for work in queryset:
            work_set_hidden(work=work, hidden=False, actor=request.user)

    @admin.action(description="Feature selected works on the home page")
    def feature(self, request, queryset):
        for work in queryset:
            work_set_featured(work=work, featured=True, editor=request.user)

    @admin.action(description="Stop featuring selected works")
    def unfeature(self, request, queryset):
        for work in queryset:
            work_set_featured(work=work, featured=False, editor=request.user)


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "state", "complete")
    list_filter = ("state", "complete")
    search_fields = ("title",)


admin.site.register(
    Chapter, list_display=("work", "position", "title", "posted"), raw_id_fields=("work",)
)
admin.site.register(SerialWork, raw_id_fields=("work", "series"))
