from django.urls import path

from fanfold.tags import views

app_name = "tags"
urlpatterns = [
    path("tags/autocomplete", views.autocomplete, name="autocomplete"),
    path("tags/<str:name>", views.tag_detail, name="detail"),
    path("tags/<str:name>/works", views.tag_works, name="works"),
]
