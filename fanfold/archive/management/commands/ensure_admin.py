"""Make sure an administrator account exists, and say how to log in."""

import secrets

from django.core.management.base import BaseCommand

from fanfold.accounts.models import User
from fanfold.accounts.services import user_create


class Command(BaseCommand):
    help = "Create the 'admin' account if no staff account exists, and print its login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args, username, url, **options):
        staff = User.objects.filter(is_superuser=True).order_by("pk").first()
        if staff is not None:
            self.stdout.write(
                f"Admin account: {staff.username} (log in at {url}/login; forgot the "
                f"password? python manage.py changepassword {staff.username})"
            )
            return
        password = secrets.token_urlsafe(12)
        user_create(
            username=username,
            email="admin@localhost",
            password=password,
            is_superuser=True,
            email_verified=True,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the admin account.\n  Log in at {url}/login\n"
                f"  user name: {username}\n  password:  {password}\n"
                "  (shown once; change it under Preferences)"
            )
        )
