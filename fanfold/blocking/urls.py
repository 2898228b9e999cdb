from django.urls import path, re_path

from fanfold.blocking import views

app_name = "blocking"
urlpatterns = [
    path("blocked", views.lists, name="lists"),
    re_path(
        r"^users/(?P<username>[^/]+)/(?P<action>block|unblock|mute|unmute)$",
        views.user_action,
        name="action",
    ),
]
