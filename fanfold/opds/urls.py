from django.urls import path

from fanfold.opds.views import acquisition, navigation

ROUTES = [
    ("", navigation.root, "root"),
    ("/newest", acquisition.newest, "newest"),
    ("/popular", acquisition.popular, "popular"),
    ("/fandoms", navigation.fandoms, "fandoms"),
    ("/fandoms/<str:letter>", navigation.fandom_letter, "fandom_letter"),
    ("/tags/<str:name>", acquisition.tag_works, "tag"),
    ("/search", acquisition.search, "search"),
    ("/search.xml", acquisition.search_description, "search_description"),
    ("/shelves/<str:shelf>", acquisition.shelf, "shelf"),
    ("/download/<id:work_id>/<str:slug>.<str:format>", acquisition.download, "download"),
]

app_name = "opds"
# The same catalogue twice: as whoever the request says (session, HTTP Basic, or a
# guest), and under a member's private feed key for apps that cannot send a password.
urlpatterns = [path(f"opds{route}", view, name=name) for route, view, name in ROUTES] + [
    path(f"opds/k/<str:secret>{route}", view, name=f"key_{name}") for route, view, name in ROUTES
]
