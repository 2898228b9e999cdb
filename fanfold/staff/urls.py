from django.urls import path

from fanfold.staff import views

app_name = "staff"
urlpatterns = [
    path("staff/", views.dashboard, name="dashboard"),
    path("staff/roles", views.roles, name="roles"),
    path("staff/roles/fandoms", views.fandom_assign, name="fandom_assign"),
    path(
        "staff/roles/fandoms/<int:user_id>/<int:fandom_id>/remove",
        views.fandom_unassign,
        name="fandom_unassign",
    ),
    path("staff/fandoms", views.fandoms, name="fandoms"),
    path(
        "staff/fandoms/<int:fandom_id>/give-back", views.fandom_give_back, name="fandom_give_back"
    ),
    path("staff/audit", views.audit, name="audit"),
]
