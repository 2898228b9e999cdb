from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "fanfold.tags"
    label = "tags"
