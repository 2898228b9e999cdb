from django.urls import path

from fanfold.invitations import views

app_name = "invitations"
urlpatterns = [
    path("invitations/request", views.request_invitation, name="request"),
    path("preferences/invitations", views.member_invitations, name="mine"),
    path("staff/invitations", views.staff_invitations, name="staff"),
]
