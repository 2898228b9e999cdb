from django.urls import path

from fanfold.news import views
from fanfold.news.feeds import NewsFeed

app_name = "news"
urlpatterns = [
    path("news", views.news_index, name="index"),
    path("news/feed", NewsFeed(), name="feed"),
    path("news/new", views.news_new, name="new"),
    path("news/<id:post_id>", views.news_detail, name="detail"),
    path("news/<id:post_id>/edit", views.news_edit, name="edit"),
    path("news/<id:post_id>/delete", views.news_delete, name="delete"),
]
