from django.urls import path

from fanfold.reports import staff_views, views

app_name = "reports"
urlpatterns = [
    path("report/<str:kind>/<id:object_id>", views.report_new, name="new"),
    path("appeal/<str:token>", views.appeal_new, name="appeal_new"),
    path(
        "appeal/hidden/<str:kind>/<id:object_id>",
        views.appeal_hidden_view,
        name="appeal_hidden",
    ),
    path("staff/reports", staff_views.queue, name="queue"),
    path("staff/reports/reasons", staff_views.reasons, name="reasons"),
    path("staff/reports/reasons/<id:reason_id>", staff_views.reason_edit, name="reason_edit"),
    path("staff/reports/messages/<id:report_id>", staff_views.report_message, name="message"),
    path("staff/reports/<str:kind>/<id:object_id>", staff_views.group, name="group"),
    path(
        "staff/reports/<str:kind>/<id:object_id>/assign",
        staff_views.group_assign,
        name="group_assign",
    ),
    path(
        "staff/reports/<str:kind>/<id:object_id>/dismiss",
        staff_views.group_dismiss,
        name="group_dismiss",
    ),
    path(
        "staff/reports/<str:kind>/<id:object_id>/resolve",
        staff_views.group_resolve,
        name="group_resolve",
    ),
    path(
        "staff/reports/<str:kind>/<id:object_id>/act/<str:action>",
        staff_views.group_act,
        name="group_act",
    ),
    path("staff/appeals/<id:appeal_id>", staff_views.appeal, name="appeal"),
    path("staff/appeals/<id:appeal_id>/assign", staff_views.appeal_assign, name="appeal_assign"),
    path("staff/appeals/<id:appeal_id>/decide", staff_views.appeal_decide, name="appeal_decide"),
]
