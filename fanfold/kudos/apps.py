from django.apps import AppConfig


class KudosConfig(AppConfig):
    name = "fanfold.kudos"
    label = "kudos"
