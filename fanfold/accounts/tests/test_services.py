import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from fanfold.accounts.models import Pseud, User
from fanfold.accounts.services import (
    pseud_create,
    pseud_delete,
    pseud_ensure_default,
    pseud_make_default,
    pseud_update,
    user_change_email,
    user_create,
    user_update_bio,
    user_update_preferences,
    user_verify_email,
)

pytestmark = pytest.mark.django_db


def test_user_create_makes_the_default_pseud():
    user = user_create(username="Wren", email="wren@example.org", password="a-long-passphrase")
    assert [(p.name, p.is_default) for p in user.pseuds.all()] == [("Wren", True)]
    assert user.check_password("a-long-passphrase") and not user.email_verified


def test_user_names_are_unique_ignoring_case(make_user):
    make_user("wren")
    with pytest.raises(ValidationError):
        user_create(username="WREN", email="other@example.org", password="a-long-passphrase")
    assert User.objects.count() == 1


@override_settings(
    PASSWORD_HASHERS=[
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
)
def test_passwords_are_hashed_with_argon2():
    user = user_create(username="wren", email="wren@example.org", password="a-long-passphrase")
    user.refresh_from_db()
    assert user.password.startswith("argon2")
    assert user.check_password("a-long-passphrase")


def test_verify_email_marks_the_current_address(make_user):
    user = make_user(email="wren@example.org")
    user_verify_email(user=user, email="Wren@example.org")
    user.refresh_from_db()
    assert user.email_verified


def test_verify_email_refuses_an_old_address(make_user):
    user = make_user(email="new@example.org")
    with pytest.raises(ValidationError):
        user_verify_email(user=user, email="old@example.org")
    user.refresh_from_db()
    assert not user.email_verified


def test_changing_the_address_makes_it_unverified(make_user):
    user = make_user(email="old@example.org", email_verified=True)
    assert user_change_email(user=user, email="new@EXAMPLE.org")
    user.refresh_from_db()
    assert user.email == "new@example.org" and not user.email_verified


def test_same_address_changes_nothing(make_user):
    user = make_user(email="same@example.org", email_verified=True)
    assert not user_change_email(user=user, email="same@example.org")
    user.refresh_from_db()
    assert user.email_verified


def test_update_preferences(make_user):
    user = make_user()
    user_update_preferences(
        user=user,
        view_adult=True,
        hide_warnings=True,
        hide_freeform=False,
        view_full_work=True,
        theme="dark",
        font_size=130,
        allow_cocreator=False,
    )
    user.refresh_from_db()
    assert (user.view_adult, user.hide_warnings, user.view_full_work) == (True, True, True)
    assert (user.theme, user.font_size, user.allow_cocreator) == ("dark", 130, False)


def test_update_preferences_refuses_unknown_theme(make_user):
    user = make_user()
    with pytest.raises(ValidationError):
        user_update_preferences(
            user=user,
            view_adult=False,
            hide_warnings=False,
            hide_freeform=False,
            view_full_work=False,
            theme="neon",
            font_size=100,
            allow_cocreator=True,
        )


def test_bio_is_rendered_and_sanitised(make_user):
    user = make_user()
    user_update_bio(user=user, bio="I write <em>slowly</em>.<script>alert(1)</script>")
    user.refresh_from_db()
    assert "<em>slowly</em>" in user.bio_html
    assert "<script" not in user.bio_html and "alert(1)" in user.bio


def test_pseud_create_and_switch_default(make_user):
    user = make_user("wren")
    other = pseud_create(user=user, name="  Night Owl ", description="Poems.")
    assert other.name == "Night Owl" and not other.is_default
    pseud_make_default(pseud=other)
    defaults = list(user.pseuds.filter(is_default=True).values_list("name", flat=True))
    assert defaults == ["Night Owl"]


def test_pseud_names_are_unique_per_user_ignoring_case(make_user):
    user = make_user("wren")
    with pytest.raises(ValidationError):
        pseud_create(user=user, name="WREN")
    # Another member may use the same name.
    pseud_create(user=make_user("finch"), name="Wren")


def test_pseud_update_changes_the_description(make_user):
    pseud = make_user().default_pseud
    pseud_update(pseud=pseud, description="  Tales of the sea.  ")
    pseud.refresh_from_db()
    assert pseud.description == "Tales of the sea."


def test_pseud_delete(make_user):
    user = make_user()
    spare = pseud_create(user=user, name="Spare")
    pseud_delete(pseud=spare)
    assert not Pseud.objects.filter(pk=spare.pk).exists()


def test_default_pseud_cannot_be_deleted(make_user):
    pseud = make_user().default_pseud
    with pytest.raises(ValidationError, match="default"):
        pseud_delete(pseud=pseud)


def test_pseud_with_works_cannot_be_deleted(make_user, make_work):
    user = make_user()
    credited = pseud_create(user=user, name="Credited")
    pseud_make_default(pseud=credited)
    make_work(user)
    pseud_make_default(pseud=user.pseuds.exclude(pk=credited.pk).get())
    assert credited.creatorships.exists()
    with pytest.raises(ValidationError, match="credited"):
        pseud_delete(pseud=credited)


def test_ensure_default_pseud_creates_one_only_when_missing(make_user):
    user = make_user("wren")
    assert pseud_ensure_default(user=user) == user.default_pseud
    bare = User.objects.create(username="bare")
    assert pseud_ensure_default(user=bare).name == "bare"
    assert bare.pseuds.count() == 1


def test_imported_account_with_an_old_style_name_can_save_preferences():
    # eFiction pen names may break today's naming rule; that must not lock them out.
    user = User.objects.create(username="Ye Olde Name!", email="old@example.org")
    user_update_preferences(
        user=user,
        view_adult=True,
        hide_warnings=False,
        hide_freeform=False,
        view_full_work=False,
        theme="light",
        font_size=100,
        allow_cocreator=True,
    )
    user_update_bio(user=user, bio="Still here.")
    user.refresh_from_db()
    assert user.view_adult and user.bio == "Still here."
