from django.urls import path

from fanfold.feeds import feeds, views

app_name = "feeds"
urlpatterns = [
    path("tags/<str:name>/feed.atom", feeds.TagFeed(), name="tag"),
    path("users/<str:username>/works/feed.atom", feeds.CreatorFeed(), name="creator"),
    path("series/<id:series_id>/feed.atom", feeds.SeriesFeed(), name="series"),
    path("works/<id:work_id>/feed.atom", feeds.WorkChaptersFeed(), name="work"),
    path("challenges/<id:challenge_id>/feed.atom", feeds.ChallengeFeed(), name="challenge"),
    path("preferences/feeds", views.private_feeds, name="private"),
    path(
        "feeds/private/<str:secret>/subscriptions",
        feeds.SubscriptionsFeed(),
        name="private_subscriptions",
    ),
    path(
        "feeds/private/<str:secret>/filters/<id:saved_id>",
        feeds.SavedFilterFeed(),
        name="private_filter",
    ),
]
