from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "fanfold.backup"
    label = "backup"
