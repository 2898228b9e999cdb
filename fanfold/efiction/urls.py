"""eFiction 3.5's public addresses, so links from the old archive keep answering."""

from django.urls import path

from fanfold.efiction import views
from fanfold.efiction.feeds import RecentStoriesFeed

app_name = "efiction"
urlpatterns = [
    path("viewstory.php", views.viewstory, name="viewstory"),
    path("viewuser.php", views.viewuser, name="viewuser"),
    path("viewseries.php", views.viewseries, name="viewseries"),
    path("modules/challenges/challenges.php", views.challenge, name="challenge"),
    path("browse.php", views.browse, name="browse"),
    path("reviews.php", views.reviews, name="reviews"),
    path("authors.php", views.authors, name="authors"),
    path("viewpage.php", views.viewpage, name="viewpage"),
    path("search.php", views.search, name="search"),
    path("toplists.php", views.toplists, name="toplists"),
    path("user.php", views.user, name="user"),
    path("stories.php", views.stories, name="stories"),
    path("index.php", views.home, name="index"),
    path("news.php", views.news, name="news"),
    path("series.php", views.home, name="series"),
    path("rss.php", RecentStoriesFeed(), name="rss"),
]
