"""Who is signed in, read with the session in one query.

Django's AuthenticationMiddleware reads the session, then the member it names: two
queries on every member's request, a third of a cached reading page's budget
(fanfold.works.memberpages). Our session engines (fanfold.accounts.sessions) load the
member in the same query as the session, and this middleware takes the member from
there. Every check Django makes stays: the session must name a member through a
backend still configured, the member must be allowed to log in (`is_active`: a
deactivated or banned member is nobody), and the session's hash must still match the
member's (a changed password, or `session_generation` raised by a ban or by logging out
everywhere, ends it; a hash made with an old secret key is renewed, as Django does).
A forged or expired cookie finds no row, and so no member.

With sessions read from the shared cache (REDIS_URL), a cache hit has no row to join:
the member is then read alone, one query, the stock backend's own compiled once.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware, auser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from fanfold.accounts.models import User
from fanfold.accounts.sessions import MemberSessionMixin, member_by_id


def _named_member(request: HttpRequest, member_id: int, backend_path: str) -> User | None:
    """The member the session names, from the session's own load when it brought one."""
    session = request.session
    backend = load_backend(backend_path)
    # Only the stock lookup may be skipped: another backend's get_user may know better.
    stock = isinstance(backend, ModelBackend) and type(backend).get_user is ModelBackend.get_user
    if not (stock and isinstance(session, MemberSessionMixin)):
        return backend.get_user(member_id)
    assert isinstance(backend, ModelBackend)  # `stock`
    if session.member_loaded:
        member = session.member
        if member is None or member.pk != member_id:
            # The column disagrees with the signed data (it cannot, short of a
            # hand-edited row): ask the backend, as Django would.
            return backend.get_user(member_id)
    else:
        # From the shared cache: the session brought no member, so read it alone (the
        # backend's own query, compiled once).
        member = member_by_id(member_id)
        if member is None:
            return None
    return member if backend.user_can_authenticate(member) else None


def _hash_holds(request: HttpRequest, member: User) -> bool:
    """Whether the session was signed for the member as they are now; renews a hash
    made with a previous secret key (SECRET_KEY_FALLBACKS)."""
    stored = request.session.get(HASH_SESSION_KEY)
    if not stored:
        return False
    current = member.get_session_auth_hash()
    if constant_time_compare(stored, current):
        return True
    if any(constant_time_compare(stored, old) for old in member.get_session_auth_fallback_hash()):
        request.session.cycle_key()
        request.session[HASH_SESSION_KEY] = current
        return True
    return False


def session_member(request: HttpRequest) -> User | AnonymousUser:
    """The member this request's session is signed in as, or an anonymous user (and a
    session that no longer holds is emptied, so its cookie signs nobody in again)."""
    session = request.session
    try:
        member_id = User._meta.pk.to_python(session[SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    member = _named_member(request, member_id, backend_path)
    if member is None:
        return AnonymousUser()
    if not _hash_holds(request, member):
        session.flush()
        return AnonymousUser()
    return member


def _lazy_member(request: HttpRequest) -> SimpleLazyObject:
    """`request.user` until someone asks: then the member (or anonymous user) itself
    takes its place on the request, since every attribute read through a lazy object
    costs three calls and a page reads the member's attributes a hundred times."""

    def load() -> User | AnonymousUser:
        if not hasattr(request, "_cached_user"):
            request._cached_user = session_member(request)  # type: ignore[attr-defined]
        # Only while nobody replaced it (a login or a logout sets `request.user` itself).
        if request.__dict__.get("user") is lazy:
            request.user = request._cached_user  # type: ignore[attr-defined]
        return request._cached_user  # type: ignore[attr-defined]

    lazy = SimpleLazyObject(load)
    return lazy


class MemberSessionMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware (`request.user` lazy, `request.auser` for async
    views) with the member read by `session_member`."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)  # checks SessionMiddleware runs first
        request.user = _lazy_member(request)  # type: ignore[assignment]
        request.auser = partial(auser, request)
