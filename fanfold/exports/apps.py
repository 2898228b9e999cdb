from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "fanfold.exports"
    label = "exports"
    verbose_name = "Downloads"
