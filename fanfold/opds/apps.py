from django.apps import AppConfig


class OpdsConfig(AppConfig):
    name = "fanfold.opds"
    verbose_name = "OPDS catalogue"
