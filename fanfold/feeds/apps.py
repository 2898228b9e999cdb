from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "fanfold.feeds"
    verbose_name = "Feeds"
