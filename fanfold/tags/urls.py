from django.urls import path

from fanfold.tags import views

app_name = "tags"
urlpatterns = [
    path("tags/autocomplete", views.autocomplete, name="autocomplete"),
    # Before the tag pattern, which would take "wrangle" or "search" for a tag name (as
    # with "autocomplete"); such a tag keeps its works and edit pages.
    path("tags/wrangle", views.wrangle_queue, name="wrangle"),
    path("tags/search", views.tag_search, name="search"),
    path("fandoms", views.fandom_index, name="fandoms"),
    path("tags/wrangle/bulk", views.wrangle_bulk, name="wrangle_bulk"),
    path("tags/<str:name>", views.tag_detail, name="detail"),
    path("tags/<str:name>/works", views.tag_works, name="works"),
    path("tags/<str:name>/edit", views.tag_edit, name="edit"),
]
