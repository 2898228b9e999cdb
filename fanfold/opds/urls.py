from django.urls import path

from fanfold.opds import views

ROUTES = [
    ("", views.root, "root"),
    ("/newest", views.newest, "newest"),
    ("/popular", views.popular, "popular"),
    ("/fandoms", views.fandoms, "fandoms"),
    ("/fandoms/<str:letter>", views.fandom_letter, "fandom_letter"),
    ("/tags/<str:name>", views.tag_works, "tag"),
    ("/search", views.search, "search"),
    ("/search.xml", views.search_description, "search_description"),
    ("/shelves/<str:shelf>", views.shelf, "shelf"),
    ("/download/<id:work_id>/<str:slug>.<str:format>", views.download, "download"),
]

app_name = "opds"
# The same catalogue twice: as whoever the request says (session, HTTP Basic, or a
# guest), and under a member's private feed key for apps that cannot send a password.
urlpatterns = [path(f"opds{route}", view, name=name) for route, view, name in ROUTES] + [
    path(f"opds/k/<str:secret>{route}", view, name=f"key_{name}") for route, view, name in ROUTES
]
