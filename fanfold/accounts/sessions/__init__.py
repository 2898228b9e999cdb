"""Session engines whose table names the signed-in member (fanfold.accounts.models.MemberSession).

`db` reads sessions from the database, `cached_db` from the shared cache first (Redis in
production), writing through to the database either way. Both keep, beside the signed
session data, the id of the member it is signed in as, so loading a session from the
database loads its member in the same query (`SessionStore.member`), which the
authentication middleware (fanfold.accounts.middleware) uses instead of a second query.
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.utils import timezone

from fanfold.accounts.models import MemberSession, User


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
        row = (
            MemberSession.objects.select_related("user")
            .filter(session_key=self.session_key, expire_date__gt=timezone.now())
            .first()
            if self._validate_session_key(self.session_key)
            else None
        )
        if row is None:
            self._session_key = None
            return None
        self.member, self.member_loaded = row.user, True
        return row

    def create_model_instance(self, data: dict) -> MemberSession:
        row = super().create_model_instance(data)
        row.user_id = _member_id(data)
        return row

    def save(self, must_create: bool = False) -> None:
        # A saved session's data may name someone else now (a login, a logout): what was
        # loaded with it no longer answers for it.
        self.member, self.member_loaded = None, False
        super().save(must_create=must_create)
