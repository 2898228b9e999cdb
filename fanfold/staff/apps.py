from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StaffConfig(AppConfig):
    name = "fanfold.staff"
    verbose_name = "Staff"

    def ready(self) -> None:
        from fanfold.staff.services import role_groups_sync_on_migrate

        # After every migrate (tests' too): the role groups carry exactly the permissions
        # the code defines.
        post_migrate.connect(role_groups_sync_on_migrate, sender=self)
