from django.urls import path

from fanfold.archive import staff_views, views

app_name = "archive"
urlpatterns = [
    path("", views.home, name="home"),
    path("display", views.display, name="display"),
    path("language", views.language, name="language"),
    path("healthz", views.healthz, name="healthz"),
    path("staff/settings", staff_views.site_settings, name="staff_settings"),
    path("staff/lockdown", staff_views.lockdown, name="staff_lockdown"),
]
