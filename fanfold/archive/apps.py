from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "fanfold.archive"
    label = "archive"

    def ready(self) -> None:
        from fanfold.archive import lockdown
        from fanfold.archive.gate import banner_register, refusal_register

        refusal_register(lockdown.read_only_refusal)
        banner_register(lockdown.lockdown_banner)
