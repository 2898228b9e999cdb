from django.urls import path

from fanfold.history import views

app_name = "history"
urlpatterns = [
    path("history", views.history, name="list"),
    path("history/later", views.history, {"later": True}, name="later"),
    path("history/actions", views.history_action, name="action"),
    path("works/<id:work_id>/mark-for-later", views.mark_for_later, name="mark"),
]
