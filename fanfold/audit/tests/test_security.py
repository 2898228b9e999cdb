import pytest
from django.urls import reverse

from fanfold.audit.models import AuditEntry
from fanfold.staff.roles import Role

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR="198.51.100.7",
    )


def test_failed_logins_are_logged_per_account_with_the_address(client, make_user):
    mira = make_user("mira")
    _login(client, "Mira", "not her password")
    _login(client, "nobody", "guess")
    failed = AuditEntry.objects.filter(action="login.failed").order_by("pk")
    assert [(e.target_label, e.member) for e in failed] == [("Mira", mira), ("nobody", None)]
    assert {e.ip for e in failed} == {"198.51.100.7"}


def test_staff_logins_are_logged_and_members_are_not(client, make_user):
    make_user("mira")
    make_user("mod", roles=[Role.MODERATOR])
    _login(client, "mira", "a-long-passphrase")
    client.logout()
    _login(client, "mod", "a-long-passphrase")
    assert list(
        AuditEntry.objects.filter(action="login.staff").values_list("actor_name", flat=True)
    ) == ["mod"]


def test_password_and_email_changes_are_logged(client, make_user):
    mira = make_user("mira", email="mira@example.org")
    client.force_login(mira)
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "a-long-passphrase",
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )
    client.post(
        reverse("accounts:preferences"),
        {"section": "email", "email": "new@example.org", "password": "another-long-passphrase"},
    )
    actions = dict(AuditEntry.objects.filter(member=mira).values_list("action", "changes"))
    assert "password.change" in actions
    assert actions["email.change"] == {"email": ["mira@example.org", "new@example.org"]}
