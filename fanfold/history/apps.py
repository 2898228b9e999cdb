from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "fanfold.history"
    label = "history"
