from django.urls import path

from fanfold.archive import views

app_name = "archive"
urlpatterns = [
    path("", views.home, name="home"),
    path("display", views.display, name="display"),
]
