from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_login_failed


class AuditConfig(AppConfig):
    name = "fanfold.audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from fanfold.audit import security

        user_logged_in.connect(security.record_login, dispatch_uid="audit_login")
        user_login_failed.connect(security.record_login_failed, dispatch_uid="audit_login_failed")
