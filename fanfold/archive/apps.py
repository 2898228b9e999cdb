from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "fanfold.archive"
    label = "archive"
