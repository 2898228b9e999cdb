from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.urls import register_converter

from fanfold.archive.params import IdConverter


class ArchiveConfig(AppConfig):
    name = "fanfold.archive"
    label = "archive"

    def ready(self) -> None:
        # Before any URLconf is imported: every path id in the project is an <id:...>.
        register_converter(IdConverter, "id")
        # Models can be imported only once the registry is ready.
        from fanfold.archive import lockdown
        from fanfold.archive.gate import banner_register, refusal_register
        from fanfold.archive.models import request_scope_begin, request_scope_end

        refusal_register(lockdown.read_only_refusal)
        banner_register(lockdown.lockdown_banner)
        # The settings row is read once per request (SiteSettings.current).
        request_started.connect(request_scope_begin, dispatch_uid="site-settings-scope")
        request_finished.connect(request_scope_end, dispatch_uid="site-settings-scope")
