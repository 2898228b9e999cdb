from django.urls import path

from fanfold.moderation import views

app_name = "moderation"
urlpatterns = [
    path("moderation/works", views.works_queue, name="works"),
    path("moderation/works/<id:work_id>/<str:decision>", views.work_decide, name="decide"),
]
