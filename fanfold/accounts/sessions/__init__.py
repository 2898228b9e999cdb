"""Session engines whose table names the signed-in member (fanfold.accounts.models.MemberSession).

`db` reads sessions from the database, `cached_db` from the shared cache first (Redis in
production), writing through to the database either way. Both keep, beside the signed
session data, the id of the member it is signed in as, so loading a session from the
database loads its member in the same query (`SessionStore.member`), which the
authentication middleware (fanfold.accounts.middleware) uses instead of a second query.
"""

from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.db import connections, router
from django.utils import timezone

from fanfold.accounts.models import MemberSession, User
from fanfold.archive.precompiled import Precompiled

_SENTINEL_KEY = "sentinel-session-key-7310543"
_SENTINEL_TIME = datetime.datetime(2001, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)
_SENTINEL_MEMBER = -7_310_547
# Sessions' signed data already checked and parsed, by (signed text, salt, secret key).
_DECODED: dict[tuple[bytes | str, str, str], dict] = {}
_DECODED_MAX = 4096
_SCALARS = (str, int, float, bool, type(None))


@functools.cache
def _joined(alias: str) -> tuple[Precompiled, list[str], int]:
    """The session-with-member query, compiled once (fanfold.archive.precompiled), its
    columns' field names and how many of them are the session's."""
    rows = (
        MemberSession.objects.using(alias)
        .select_related("user")
        .filter(session_key=_SENTINEL_KEY, expire_date__gt=_SENTINEL_TIME)
    )
    now = connections[alias].ops.adapt_datetimefield_value(_SENTINEL_TIME)
    query = Precompiled(rows, key=_SENTINEL_KEY, now=now)
    names = [column.target.attname for column in query.columns]
    return query, names, len(query.compiler.klass_info["select_fields"])


def _session_with_member(key: str) -> MemberSession | None:
    """The live session under `key`, its `user` loaded with it (or None): one query."""
    alias = router.db_for_read(MemberSession)
    query, names, own = _joined(alias)
    now = connections[alias].ops.adapt_datetimefield_value(timezone.now())
    row = query.fetchone_converted(key=key, now=now)
    if row is None:
        return None
    session = MemberSession.from_db(alias, names[:own], row[:own])
    member = None
    if row[own] is not None:  # the member's key: None when the join found nobody
        member = User.from_db(alias, names[own:], row[own:])
    session.user = member
    return session


@functools.cache
def _member_alone(alias: str) -> tuple[Precompiled, list[str]]:
    # The stock backend's own lookup (ModelBackend.get_user), compiled once.
    query = Precompiled(
        User._default_manager.using(alias).filter(pk=_SENTINEL_MEMBER), pk=_SENTINEL_MEMBER
    )
    return query, [column.target.attname for column in query.columns]


def member_by_id(member_id: int) -> User | None:
    """The member with this id, or None: what ModelBackend.get_user reads, for a session
    that came from the shared cache (with no member loaded beside it)."""
    alias = router.db_for_read(User)
    query, names = _member_alone(alias)
    row = query.fetchone_converted(pk=member_id)
    return None if row is None else User.from_db(alias, names, row)


def _member_id(data: dict) -> int | None:
    try:
        return int(data[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None


class MemberSessionMixin(DBStore):
    """The database half shared by both engines."""

    # The member loaded with the session; None when the session names nobody (or names
    # a member since deleted), or was not loaded from the database (a cache hit).
    member: User | None = None
    # Whether `member` is what the database said, so None means "nobody" and not "unknown".
    member_loaded = False

    @classmethod
    def get_model_class(cls) -> type[MemberSession]:
        return MemberSession

    def _get_session_from_db(self):
        # The stock lookup, with the member joined in (one query instead of two).
        self.member, self.member_loaded = None, False
        key = self.session_key
        valid = self._validate_session_key(key)  # type: ignore[attr-defined]
        row = _session_with_member(key) if valid and key is not None else None
        if row is None:
            self._session_key = None
            return None
        self.member, self.member_loaded = row.user, True
        return row

    def decode(self, session_data: bytes | str) -> dict:
        # Checking the signature (an HMAC) and parsing the data cost a member's request a
        # third of what the session query does, on every request, for text that changes
        # only when the session is saved: the same signed text under the same key always
        # decodes the same way. Only flat data is kept (a copy of it is then exact).
        key = (session_data, self.key_salt, settings.SECRET_KEY)
        known = _DECODED.get(key)
        if known is not None:
            return dict(known)
        data = super().decode(session_data)
        if data and all(isinstance(value, _SCALARS) for value in data.values()):
            if len(_DECODED) >= _DECODED_MAX:
                _DECODED.clear()  # simpler than an LRU, and the working set refills at once
            _DECODED[key] = dict(data)
        return data

    def create_model_instance(self, data: dict) -> MemberSession:
        row = super().create_model_instance(data)
        assert isinstance(row, MemberSession)  # get_model_class() above
        row.user_id = _member_id(data)
        return row

    def save(self, must_create: bool = False) -> None:
        # A saved session's data may name someone else now (a login, a logout): what was
        # loaded with it no longer answers for it.
        self.member, self.member_loaded = None, False
        super().save(must_create=must_create)
