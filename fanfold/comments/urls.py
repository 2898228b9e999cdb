from django.urls import path

from fanfold.comments import views

app_name = "comments"
urlpatterns = [
    path("works/<id:work_id>/comments", views.comment_new, name="new"),
    path("news/<id:post_id>/comments", views.comment_new_on_news, name="new_on_news"),
    path("comments/<id:comment_id>", views.comment_detail, name="detail"),
    path("comments/<id:comment_id>/reply", views.comment_reply, name="reply"),
    path("comments/<id:comment_id>/edit", views.comment_edit, name="edit"),
    path("comments/<id:comment_id>/delete", views.comment_delete, name="delete"),
    path("comments/<id:comment_id>/approve", views.comment_approve, name="approve"),
    path("comments/<id:comment_id>/<str:action>", views.comment_hide, name="hide"),
    path("inbox", views.inbox, name="inbox"),
    path("staff/comments", views.held_queue, name="held"),
]
