"""Sessions in the database, each loaded with its member (see the package docstring)."""

from fanfold.accounts.sessions import MemberSessionMixin


class SessionStore(MemberSessionMixin):
    pass
