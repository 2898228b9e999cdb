from django.apps import AppConfig
from django.urls import register_converter

from fanfold.archive.params import IdConverter


class ArchiveConfig(AppConfig):
    name = "fanfold.archive"
    label = "archive"

    def ready(self) -> None:
        # Before any URLconf is imported: every path id in the project is an <id:...>.
        register_converter(IdConverter, "id")
