from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # Django tries these in order on every request: the pages read most (works, chapters,
    # the home page) first. No pattern catches another app's address, so the order
    # changes no answer (fanfold/archive/tests/test_urls.py).
    path("", include("fanfold.works.urls")),
    path("", include("fanfold.archive.urls")),
    path("", include("fanfold.accounts.urls")),
    path("", include("fanfold.tags.urls")),
    path("", include("fanfold.exports.urls")),
    path("", include("fanfold.challenges.urls")),
    path("", include("fanfold.comments.urls")),
    path("", include("fanfold.kudos.urls")),
    path("", include("fanfold.bookmarks.urls")),
    path("", include("fanfold.subscriptions.urls")),
    path("", include("fanfold.history.urls")),
    path("", include("fanfold.blocking.urls")),
    path("", include("fanfold.filters.urls")),
    path("", include("fanfold.moderation.urls")),
    path("", include("fanfold.reports.urls")),
    path("", include("fanfold.sanctions.urls")),
    path("", include("fanfold.staff.urls")),
    path("", include("fanfold.news.urls")),
    path("", include("fanfold.pages.urls")),
    path("", include("fanfold.efiction.urls")),
    path("", include("fanfold.invitations.urls")),
    path("", include("fanfold.feeds.urls")),
    path("", include("fanfold.opds.urls")),
    path("", include("fanfold.api.urls")),
]

# A form body over the size limit gets a page saying what happened, not a bare 400.
handler400 = "fanfold.archive.views.bad_request"
handler403 = "fanfold.archive.views.forbidden"
handler404 = "fanfold.archive.views.not_found"
