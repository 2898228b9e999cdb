from django.urls import path

from fanfold.exports import views

app_name = "exports"
urlpatterns = [
    # AO3's shape, /downloads/ID/Title.epub: reader tools build these URLs themselves.
    path("downloads/<id:work_id>/<str:slug>.<str:format>", views.work_download, name="work"),
    path(
        "downloads/series/<id:series_id>/<str:slug>.<str:format>",
        views.series_download,
        name="series",
    ),
]
