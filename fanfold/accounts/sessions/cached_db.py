"""Sessions read from the shared cache, written through to the database (Redis in
production: no database read for a session). A cache miss loads the session from the
database with its member, as the `db` engine does; a hit leaves the member to the
middleware's own query."""

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

from fanfold.accounts.sessions import MemberSessionMixin


class SessionStore(CachedDBStore, MemberSessionMixin):
    pass
