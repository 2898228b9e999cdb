from django.apps import AppConfig
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

        refusal_register(lockdown.read_only_refusal)
        banner_register(lockdown.lockdown_banner)
