from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("fanfold.accounts.urls")),
    path("", include("fanfold.tags.urls")),
    path("", include("fanfold.works.urls")),
    path("", include("fanfold.archive.urls")),
]
