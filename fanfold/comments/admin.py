from django.contrib import admin

from fanfold.comments.models import Comment
from fanfold.comments.services import comment_set_hidden


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "target",
        "author_name",
        "status",
        "hidden_by_admin",
        "deleted",
        "created_at",
    )
    list_filter = ("status", "hidden_by_admin", "deleted")
    list_select_related = ("work", "news_post", "pseud")
    search_fields = ("body", "guest_name", "guest_email", "pseud__name")
    raw_id_fields = ("work", "news_post", "chapter", "parent", "thread", "user", "pseud")
    # Comments are changed through the site (services keep counters and pages right);
    # staff hide or show them from here.
    readonly_fields = [f.name for f in Comment._meta.fields]
    actions = ["hide", "unhide"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Hide selected comments")
    def hide(self, request, queryset):
        for comment in queryset:
            comment_set_hidden(comment=comment, hidden=True, actor=request.user)

    @admin.action(description="Show selected comments again")
    def unhide(self, request, queryset):
        for comment in queryset:
            comment_set_hidden(comment=comment, hidden=False, actor=request.user)
