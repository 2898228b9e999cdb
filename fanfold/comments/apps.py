from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "fanfold.comments"
    label = "comments"
