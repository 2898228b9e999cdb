from django.urls import path

from fanfold.sanctions import views

app_name = "sanctions"
urlpatterns = [
    path("staff/members", views.member_search, name="members"),
    path("staff/members/<str:username>", views.member_record_view, name="record"),
    path("staff/members/<str:username>/<str:action>", views.member_act, name="act"),
    path("staff/sanctions/<id:sanction_id>/lift", views.sanction_lift, name="lift"),
    path("staff/cleanups/<id:cleanup_id>/restore", views.cleanup_restore, name="restore"),
]
