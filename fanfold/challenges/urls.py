from django.urls import path

from fanfold.challenges import views

app_name = "challenges"
urlpatterns = [
    path("challenges", views.challenge_index, name="index"),
    path("challenges/new", views.challenge_new, name="new"),
    path("challenges/<id:challenge_id>", views.challenge_detail, name="detail"),
    path("challenges/<id:challenge_id>/edit", views.challenge_edit, name="edit"),
]
