import hashlib

import pytest
from django.contrib.auth import authenticate

from fanfold.efiction.hashers import encoded_from_legacy


def md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def test_legacy_column_must_be_an_md5():
    assert encoded_from_legacy(md5("x").upper()) == f"efiction_md5${md5('x')}"
    assert encoded_from_legacy("") is None
    assert encoded_from_legacy("plaintext-password") is None
    assert encoded_from_legacy("z" * 32) is None


@pytest.mark.django_db
def test_old_password_logs_in_once_then_is_argon2(make_user, settings):
    # The production order (tests put a fast hasher first).
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "fanfold.efiction.hashers.EfictionMD5PasswordHasher",
    ]
    user = make_user("oldtimer")
    user.password = encoded_from_legacy(md5("tea and biscuits"))
    user.save(update_fields=["password"])

    assert authenticate(username="OldTimer", password="wrong") is None
    assert authenticate(username="oldtimer", password="tea and biscuits") is not None

    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    # The md5 is gone for good, and the same password still works.
    assert md5("tea and biscuits") not in user.password
    assert authenticate(username="oldtimer", password="tea and biscuits") is not None
