from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "fanfold.moderation"
    verbose_name = "Moderation"
