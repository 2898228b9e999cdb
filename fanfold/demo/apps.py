from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "fanfold.demo"
    label = "demo"
