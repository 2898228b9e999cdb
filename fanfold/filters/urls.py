from django.urls import path

from fanfold.filters import views

app_name = "filters"
urlpatterns = [
    path("filters/save", views.save, name="save"),
    path("filters/saved", views.saved, name="saved"),
    path("filters/exclusions", views.exclusions, name="exclusions"),
]
