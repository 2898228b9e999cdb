from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fanfold.audit"
    verbose_name = "Audit log"
