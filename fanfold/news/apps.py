from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "fanfold.news"
    verbose_name = "News"
