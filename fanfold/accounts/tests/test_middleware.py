"""Who is signed in: the session and its member come in one query, and every way a
session ends still ends it (fanfold.accounts.middleware)."""

import pytest
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import caches
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.accounts.middleware import MemberSessionMiddleware
from fanfold.accounts.models import MemberSession
from fanfold.sanctions.services import member_ban

pytestmark = pytest.mark.django_db

CACHED = "fanfold.accounts.sessions.cached_db"


def signed_in_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def request_with(cookie: str | None):
    """A request through the session and authentication middleware, not yet asked who
    it is (both load lazily)."""
    request = RequestFactory().get("/")
    if cookie is not None:
        request.COOKIES[settings.SESSION_COOKIE_NAME] = cookie
    SessionMiddleware(lambda r: None).process_request(request)
    MemberSessionMiddleware(lambda r: None).process_request(request)
    return request


def who(cookie: str | None):
    user = request_with(cookie).user
    return user.username if user.is_authenticated else None


def test_the_session_and_its_member_are_one_query(make_user):
    member = make_user("one-query")
    request = request_with(signed_in_cookie(member))
    with CaptureQueriesContext(connection) as queries:
        assert request.user.pk == member.pk
        assert request.session.get("view_adult") is None  # already loaded
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert "accounts_user" in queries[0]["sql"] and "accounts_membersession" in queries[0]["sql"]


def test_the_session_read_first_brings_the_member_too(make_user):
    member = make_user("session-first")
    request = request_with(signed_in_cookie(member))
    with CaptureQueriesContext(connection) as queries:
        request.session.get("view_adult")
        assert request.user.pk == member.pk
    assert len(queries) == 1


def test_guests_cost_nothing_and_forged_cookies_sign_in_nobody(make_user):
    member = make_user("forged")
    cookie = signed_in_cookie(member)
    with CaptureQueriesContext(connection) as queries:
        assert who(None) is None
    assert len(queries) == 0
    assert who(cookie[:-2] + ("xx" if not cookie.endswith("xx") else "yy")) is None
    assert who("not a session key at all") is None
    assert who("") is None
    assert who(cookie) == "forged"


def test_a_logout_ends_every_copy_of_the_cookie(make_user):
    member = make_user("leaver")
    browser = Client()
    browser.force_login(member)
    copy = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert who(copy) == "leaver"
    assert browser.post(reverse("accounts:logout")).status_code == 302
    assert who(copy) is None
    assert not MemberSession.objects.filter(session_key=copy).exists()


def test_logging_out_everywhere_ends_every_session(make_user):
    member = make_user("everywhere")
    phone, laptop = signed_in_cookie(member), signed_in_cookie(member)
    assert who(phone) == who(laptop) == "everywhere"
    member.session_generation += 1
    member.save(update_fields=["session_generation"])
    assert who(phone) is None and who(laptop) is None
    # The ended sessions are emptied, so the cookie signs nobody in even if it held.
    assert not MemberSession.objects.filter(session_key__in=[phone, laptop]).exists()


def test_a_password_changed_elsewhere_ends_the_session(make_user):
    member = make_user("changer")
    cookie = signed_in_cookie(member)
    member.set_password("another-long-passphrase")
    member.save()
    assert who(cookie) is None
    assert who(signed_in_cookie(member)) == "changer"  # a new login holds


def test_deactivated_and_banned_members_are_nobody(make_user, moderator):
    quiet, banned = make_user("quiet"), make_user("banned")
    quiet_cookie, banned_cookie = signed_in_cookie(quiet), signed_in_cookie(banned)
    quiet.is_active = False
    quiet.save()
    member_ban(actor=moderator, member=banned, reason="Spam.", hide_works=False)
    assert who(quiet_cookie) is None
    assert who(banned_cookie) is None
    quiet.is_active = True
    quiet.save()
    # Deactivation ends nothing by itself in Django (the hash holds): back again, the
    # member is signed in as before, exactly as with Django's own middleware.
    assert who(quiet_cookie) == "quiet"


def test_a_hash_made_with_an_old_secret_key_is_renewed(make_user):
    member = make_user("old-key")
    with override_settings(SECRET_KEY="an-older-secret-key-" * 3):
        cookie = signed_in_cookie(member)
    with override_settings(SECRET_KEY_FALLBACKS=["an-older-secret-key-" * 3]):
        request = request_with(cookie)
        assert request.user.pk == member.pk
    assert request.session[HASH_SESSION_KEY] == member.get_session_auth_hash()
    assert request.session.session_key != cookie  # cycled, as Django does


def test_the_table_names_the_member_of_each_session(make_user):
    member = make_user("named")
    cookie = signed_in_cookie(member)
    assert MemberSession.objects.get(session_key=cookie).user_id == member.pk


def test_a_session_naming_someone_else_than_its_column_trusts_the_signed_data(make_user):
    member, other = make_user("signed"), make_user("column")
    cookie = signed_in_cookie(member)
    MemberSession.objects.filter(session_key=cookie).update(user=other)
    assert who(cookie) == "signed"


@override_settings(SESSION_ENGINE=CACHED, SESSION_CACHE_ALIAS="default")
def test_sessions_from_the_cache_keep_every_rule(make_user, moderator):
    caches["default"].clear()
    member, banned = make_user("cached"), make_user("cached-ban")
    cookie, banned_cookie = signed_in_cookie(member), signed_in_cookie(banned)
    request = request_with(cookie)
    with CaptureQueriesContext(connection) as queries:
        assert request.user.pk == member.pk
    # A cache hit: no session read, the member alone.
    assert len(queries) == 1 and "accounts_membersession" not in queries[0]["sql"]
    caches["default"].clear()
    with CaptureQueriesContext(connection) as queries:
        assert who(cookie) == "cached"
    assert len(queries) == 1  # a miss: the session with its member
    member_ban(actor=moderator, member=banned, reason="Spam.", hide_works=False)
    assert who(banned_cookie) is None
    browser = Client()
    browser.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert browser.post(reverse("accounts:logout")).status_code == 302
    assert who(cookie) is None
