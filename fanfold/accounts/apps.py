from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fanfold.accounts"
    label = "accounts"
