from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fanfold.accounts"
    label = "accounts"

    def ready(self) -> None:
        from fanfold.accounts import confirmation
        from fanfold.archive.gate import banner_register, refusal_register

        refusal_register(confirmation.unconfirmed_refusal)
        banner_register(confirmation.unconfirmed_banner)
