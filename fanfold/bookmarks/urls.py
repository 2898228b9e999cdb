from django.urls import path

from fanfold.bookmarks import views

app_name = "bookmarks"
urlpatterns = [
    path("works/<id:work_id>/bookmarks/new", views.bookmark_new, name="new_work"),
    path("series/<id:series_id>/bookmarks/new", views.bookmark_new, name="new_series"),
    path("works/<id:work_id>/bookmarks", views.work_bookmarks, name="work"),
    path("bookmarks/<id:bookmark_id>/edit", views.bookmark_edit, name="edit"),
    path("bookmarks/<id:bookmark_id>/delete", views.bookmark_delete, name="delete"),
    path("users/<str:username>/bookmarks", views.user_bookmarks, name="user"),
]
