from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "fanfold.challenges"
    label = "challenges"
