from django.apps import AppConfig


class FiltersConfig(AppConfig):
    name = "fanfold.filters"
    label = "filters"
