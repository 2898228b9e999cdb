from django.apps import AppConfig


class SanctionsConfig(AppConfig):
    name = "fanfold.sanctions"
    verbose_name = "Sanctions"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from fanfold.archive.gate import banner_register, refusal_register
        from fanfold.sanctions import addresses, enforcement

        refusal_register(enforcement.suspension_refusal)
        banner_register(enforcement.suspension_banner)
        user_logged_in.connect(addresses.address_seen_on_login, dispatch_uid="member_address")
