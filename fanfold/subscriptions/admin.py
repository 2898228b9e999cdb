from django.contrib import admin

from fanfold.subscriptions.models import Notice, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "work", "series", "creator", "created_at")
    raw_id_fields = ("user", "work", "series", "creator")


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("user", "work", "kind", "created_at", "sent_at", "dropped")
    list_filter = ("kind", "dropped")
    raw_id_fields = ("subscription", "user", "work", "chapter")
