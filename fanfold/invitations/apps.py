from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    name = "fanfold.invitations"
    label = "invitations"
