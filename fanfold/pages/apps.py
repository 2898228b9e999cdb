from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "fanfold.pages"
    verbose_name = "Pages"
