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

_SENTINEL_KEY = "sentinel-session-key-7310543"
_SENTINEL_TIME = datetime.datetime(2001, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)
# Sessions' signed data already checked and parsed, by (signed text, salt, secret key).
_DECODED: dict[tuple[str, str, str], dict] = {}
_DECODED_MAX = 4096
_SCALARS = (str, int, float, bool, type(None))


@functools.cache
def _joined(alias: str):
    """The session-with-member query, compiled once (building it per request would cost
    more than running it): its SQL, parameters, where the key and the time go, and the
    converters that turn raw values into Python ones (asking the compiler for them on
    every request costs as much as the query)."""
    rows = (
        MemberSession.objects.using(alias)
        .select_related("user")
        .filter(session_key=_SENTINEL_KEY, expire_date__gt=_SENTINEL_TIME)
    )
    compiler = rows.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    key_slot = params.index(_SENTINEL_KEY)
    time_slot = next(i for i, value in enumerate(params) if "2001-02-03" in str(value))
    columns = [col for col, _, _ in compiler.select]
    names = [col.target.attname for col in columns]
    own = len(compiler.klass_info["select_fields"])
    converters = compiler.get_converters(columns)
    return sql, params, key_slot, time_slot, compiler, converters, names, own


def _session_with_member(key: str) -> MemberSession | None:
    """The live session under `key`, its `user` loaded with it (or None): one query."""
    alias = router.db_for_read(MemberSession)
    sql, params, key_slot, time_slot, compiler, converters, names, own = _joined(alias)
    bound = list(params)
    bound[key_slot] = key
    bound[time_slot] = connections[alias].ops.adapt_datetimefield_value(timezone.now())
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, bound)
        row = cursor.fetchone()
    if row is None:
        return None
    values = next(iter(compiler.apply_converters([row], converters))) if converters else row
    session = MemberSession.from_db(alias, names[:own], values[:own])
    member = None
    if values[own] is not None:  # the member's key: None when the join found nobody
        member = User.from_db(alias, names[own:], values[own:])
    session.user = member
    return session


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

    def decode(self, session_data: str) -> dict:
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
