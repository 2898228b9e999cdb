import time

import pytest

from fanfold.accounts.tokens import InvalidToken, make_email_token, read_email_token

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60


def token_made_ago(user, monkeypatch, seconds: int) -> str:
    now = time.time()
    with monkeypatch.context() as patched:
        patched.setattr(time, "time", lambda: now - seconds)
        return make_email_token(user)


def test_token_names_the_user_and_address(make_user):
    user = make_user("wren", email="wren@example.org")
    claim = read_email_token(make_email_token(user))
    assert claim.user_id == user.pk and claim.email == "wren@example.org"


def test_tampered_token_is_refused(make_user):
    token = make_email_token(make_user())
    forged = token[:-2] + ("BB" if token.endswith("AA") else "AA")
    with pytest.raises(InvalidToken, match="not valid"):
        read_email_token(forged)


def test_token_still_works_just_before_three_days(make_user, monkeypatch):
    user = make_user()
    token = token_made_ago(user, monkeypatch, 3 * DAY - 60)
    assert read_email_token(token).user_id == user.pk


def test_token_expires_after_three_days(make_user, monkeypatch):
    token = token_made_ago(make_user(), monkeypatch, 3 * DAY + 60)
    with pytest.raises(InvalidToken, match="expired"):
        read_email_token(token)
