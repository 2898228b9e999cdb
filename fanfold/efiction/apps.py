from django.apps import AppConfig


class EfictionConfig(AppConfig):
    name = "fanfold.efiction"
    verbose_name = "eFiction migration"
