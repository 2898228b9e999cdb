from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "fanfold.subscriptions"
    label = "subscriptions"
