from django.apps import AppConfig


class MemberStateConfig(AppConfig):
    name = "fanfold.memberstate"
    label = "memberstate"
    verbose_name = "Member state"
