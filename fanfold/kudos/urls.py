from django.urls import path

from fanfold.kudos import views

app_name = "kudos"
urlpatterns = [
    path("works/<id:work_id>/kudos", views.kudos_create, name="create"),
    path("works/<id:work_id>/kudos/all", views.kudos_list, name="list"),
]
