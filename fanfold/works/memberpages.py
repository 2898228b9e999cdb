"""Members' reading pages from a shared cache, with each member's own parts filled in.

A member's chapter page is, byte for byte, the page every other member sees of the same
work version, plus a handful of things that are theirs. So the page is rendered once
for a stand-in member (no comments of their own, no mutes, no staff rights) and cached
cut into pieces, as guests' pages are (fanfold.works.pagecache); each request fills the
gaps with this member's values:

- `csrf`, `stamp`: their CSRF token and form stamp (as for guests);
- `nav`: the member's menu (their name, the inbox and drafts counts, fanfold.works.menu,
  read as columns of the stamp);
  the menu and the buttons are rendered once per process for their inputs (`_nav_html`,
  `_actions_html`) with stand-ins for the token and the count;
- `banners`: the notices at the top (suspension, unconfirmed address, lockdown);
- `actions`: the buttons under the work (kudos given, bookmark, subscription, mark for
  later), from the member's cached state (fanfold.memberstate);
- `username`: "Commenting as <name>".

What else differs between members is part of the key rather than a gap: theme and text
size, hidden warnings and additional tags, whether they must confirm their address
before commenting, and the full path (forms send the reader back to it).

Who takes this path (`_plain_member`, `fast_for`): a signed-in, active member without
staff rights, with no flash message waiting, reading a work they do not create (anything
else needs the full render, as before). A member who has commented on the work, is
blocked by someone or is suspended gets the full render too: their own comments carry
Edit and Delete links (and their pending or hidden comments show only to them), a block
changes the comment box, and a suspension the banner. Those pages cost what they cost
before (about 22 ms); bench/README.md has the figures.

A member who mutes someone takes this path too, with their mutes in the key: muting
leaves comments and kudos names out, so members who mute the same members share a
rendering made for a stand-in with those mutes (usually one member: the first page of
each work version is rendered for them, the next ones come from the cache). Their inbox
count leaves the muted members out, so it is counted by the selector itself.

Budget for a warm page (tests assert it): the session with its member, in one query
(fanfold.accounts.middleware; with REDIS_URL the session comes from Redis and the
member alone from the database), which is how a changed password, a ban or a
deactivation still ends the session at once (the session hash includes the password and
`session_generation`, as before); and the stamp below (one query: visibility, versions,
whether they create it, their state version, and the menu's inbox and drafts counts).
Two reads, then (three with Redis). Hits and the reading history are buffered in memory
(fanfold.archive.pending): no write on a page view.

Why not signed-cookie sessions: a copy of the cookie would outlive a logout (nothing is
left on the server to delete). Sessions in Redis (written through to the database) cost
no database read, and a logout deletes the one copy every process reads.

Every change shows on the member's next request in every process: a work change moves
`render_version` (in the key); a change to the member's state moves their
`MemberState.version`, which the stamp reads from the database each time, and the state
is cached under that version; preferences are on the user row, loaded every request.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.auth.context_processors import PermWrapper
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.html import escape

from fanfold.accounts.confirmation import needs_confirmation
from fanfold.accounts.models import User
from fanfold.archive.gate import banners
from fanfold.archive.models import SiteSettings
from fanfold.archive.precompiled import Precompiled
from fanfold.archive.returns import here
from fanfold.archive.selectors import reader_display
from fanfold.blocking.selectors import muted_user_ids
from fanfold.memberstate.models import MemberState
from fanfold.memberstate.selectors import ReaderState, reader_state
from fanfold.works import menu, pagecache
from fanfold.works.menu import MenuCounts, counts_from_row
from fanfold.works.models import Creatorship, Work

SLOT_NAMES = ("nav", "banners", "actions", "username")
_SENTINEL_WORK = -7_310_533
_SENTINEL_USER = -7_310_537


@dataclass(frozen=True)
class MemberStamp:
    """What a member's cached reading page depends on, read in one query."""

    work_id: int
    render_version: int
    adult: bool
    site_version: int
    updated_at: datetime.datetime | None
    state_version: int
    is_creator: bool
    counts: MenuCounts  # the menu's, for a member who mutes nobody


def plain_menu_columns(placeholder: int) -> dict:
    """The menu's counts (fanfold.works.menu) as columns for any member who mutes nobody
    and holds no staff rights (everyone on this path but muters), with `placeholder`
    where the member's id goes: the stamps carry them, so the menu costs no query."""
    return menu.count_columns(_plain(User(pk=placeholder, username="-", is_active=True)))


@functools.cache
def _member_stamp(alias: str) -> Precompiled:
    # Compiled from `visible_to_members()` (the members' half of the one visibility rule),
    # as the guest stamp is from `visible_to(None)`.
    site_version = SiteSettings.objects.using(alias).filter(pk=1).values("version")[:1]
    state = MemberState.objects.using(alias).filter(user_id=_SENTINEL_USER).values("version")[:1]
    creates = Creatorship.objects.using(alias).filter(
        work=OuterRef("pk"), approved=True, pseud__user_id=_SENTINEL_USER
    )
    query = (
        Work.objects.using(alias)
        .visible_to_members()
        .filter(pk=_SENTINEL_WORK)
        .annotate(
            site_version=Subquery(site_version),
            state_version=Subquery(state),
            is_creator=Exists(creates),
            **plain_menu_columns(_SENTINEL_USER),
        )
        .values_list(
            "render_version",
            "rating_id",
            "rating__adult",
            "site_version",
            "updated_at",
            "state_version",
            "is_creator",
            *menu.COUNT_COLUMNS,
        )
    )
    return Precompiled(query, work_id=_SENTINEL_WORK, user_id=_SENTINEL_USER)


def _as_datetime(value) -> datetime.datetime | None:
    # Raw SQL: SQLite hands back a naive datetime (or text) in UTC, PostgreSQL an aware one.
    if value is None:
        return None
    parsed = value if isinstance(value, datetime.datetime) else parse_datetime(str(value))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, datetime.UTC)
    return parsed


def member_stamp(work_id: int, user_id: int, alias: str = DEFAULT_DB_ALIAS) -> MemberStamp | None:
    """The stamp of a work every member may read, or None (missing, draft, hidden,
    unapproved: the full render decides what this member gets)."""
    row = _member_stamp(alias).fetchone(work_id=work_id, user_id=user_id)
    if row is None:
        return None
    render_version, rating_id, rating_adult, site_version, updated_at, state, creator = row[:7]
    return MemberStamp(
        work_id=work_id,
        render_version=render_version,
        adult=rating_id is None or bool(rating_adult),  # no rating counts as adult
        site_version=site_version or 0,
        updated_at=_as_datetime(updated_at),
        state_version=state or 0,
        is_creator=bool(creator),
        counts=counts_from_row(row[7:]),
    )


def _plain(member: User) -> User:
    # What a plain member holds: no mutes (the fast path's condition), no staff rights.
    member._muted_ids = []  # type: ignore[attr-defined]
    for name in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        setattr(member, name, set())
    return member


def _muter_counts(user: User) -> MenuCounts:
    # Muted members' comments stay out of the inbox count; the precompiled query assumes
    # none, so the counts come from the ORM query built for this member.
    return menu.menu_counts(user)


def plain_member(request: HttpRequest) -> bool:
    """A signed-in member without staff rights and with no flash message waiting (a
    message must not be frozen into a shared page, nor lost)."""
    user = request.user
    return (
        request.method == "GET"
        and user.is_authenticated
        and user.is_active
        and not user.is_staff
        and not user.is_superuser
        # An emptied cookie (the messages were shown) may still be sent by some clients.
        and not request.COOKIES.get("messages")
        and "_messages" not in request.session
    )


def state_for(stamp: MemberStamp, user_id: int) -> ReaderState:
    return reader_state(user_id=user_id, version=stamp.state_version)


def prime(user: User, state: ReaderState) -> None:
    """Give the member's object what selectors would otherwise query for: their mutes
    (from the state) and no permissions.
    Staff rights in Fanfold are roles, and `is_staff` says whether a member holds any
    (fanfold.staff.services), so a plain member holds none."""
    _plain(user)
    user._muted_ids = sorted(state.muted)  # type: ignore[attr-defined]


def fast_for(state: ReaderState, work_id: int) -> bool:
    """Whether the shared rendering is exactly this member's page (see the docstring)."""
    return not (state.blocked_by or work_id in state.commented or state.suspended())


def page_key(
    request: HttpRequest,
    user: User,
    stamp: MemberStamp,
    kind: str,
    part: object,
    muted: frozenset[int] = frozenset(),
) -> str:
    display = reader_display(request)
    flags = f"{user.hide_warnings:d}{user.hide_freeform:d}{needs_confirmation(user):d}"
    if muted:
        # Members who mute the same members share a rendering without their comments.
        ids = ",".join(map(str, sorted(muted))).encode()
        flags += ":m" + hashlib.blake2b(ids, digest_size=12).hexdigest()
    path = hashlib.blake2b(request.get_full_path().encode(), digest_size=12).hexdigest()
    return (
        f"mpage:{kind}:{stamp.work_id}:{part}:{stamp.render_version}:{stamp.site_version}:"
        f"{display.cache_variant}:{flags}:{path}"
    )


def stand_in(user: User, markers: pagecache.Markers, muted: frozenset[int] = frozenset()) -> User:
    """The member a shared page is rendered for: this member's display preferences and
    mutes, a marker for a name, and nothing else of their own (no comments or rights)."""
    fields = (
        "hide_warnings",
        "hide_freeform",
        "view_adult",
        "view_full_work",
        "theme",
        "font_size",
        "email_verified",
    )
    member = User(
        pk=-1,
        username=markers.slots["username"],
        is_active=True,
        **{name: getattr(user, name) for name in fields},
    )
    _plain(member)  # what the selectors would otherwise ask the database for
    member._muted_ids = sorted(muted)  # type: ignore[attr-defined]
    return member


def cache_context(
    context: dict, markers: pagecache.Markers | None, viewer: User | None = None
) -> dict:
    """`pagecache.for_cache`, and for a members' shared rendering (`viewer`, the stand-in)
    what its template context overrides over the context processors, which saw the
    real member."""
    context = pagecache.for_cache(context, markers)
    if viewer is None or markers is None:
        return context
    shared = {"user": viewer, "perms": PermWrapper(viewer), "messages": (), "slots": markers.slots}
    return {**context, **shared}


def _render(name: str, context: dict) -> str:
    return get_template(name).render(context)


# The fills are small templates, but rendering them (a dozen `{% url %}`s) would cost
# several times the rest of the request: each is rendered once per process for its
# inputs, with stand-ins for the two values that change on every request.
_TOKEN = f"~token~{secrets.token_hex(16)}~"
_COUNT = f"~count~{secrets.token_hex(16)}~"
_DRAFTS = f"~drafts~{secrets.token_hex(16)}~"


@functools.lru_cache(maxsize=4096)
def _nav_html(username: str, unread: bool, drafts: bool, language: str) -> str:
    # `language` is only part of the cache key: the active language renders it.
    member = SimpleNamespace(username=username, is_staff=False)
    context = {
        "user": member,
        "inbox_unread": _COUNT if unread else 0,
        "drafts_count": _DRAFTS if drafts else 0,
        "csrf_token": _TOKEN,
    }
    return _render("archive/_member_nav.html", context)


@functools.lru_cache(maxsize=4096)
def _actions_html(
    work_id: int,
    bookmark_count: int,
    kudos_given: bool,
    bookmark: int | None,
    subscription: int | None,
    marked: bool,
    path: str,
    back: str,
    language: str,
) -> str:
    # `language` is only part of the cache key: the active language renders it.
    return _render(
        "works/_work_actions.html",
        {
            "user": SimpleNamespace(is_authenticated=True),
            "request": SimpleNamespace(path=path),
            "here": back,
            "csrf_token": _TOKEN,
            "can_edit": False,
            "is_creator": False,
            "work": SimpleNamespace(pk=work_id, bookmark_count=bookmark_count),
            "kudos_given": kudos_given,
            "bookmark": SimpleNamespace(pk=bookmark) if bookmark else None,
            "subscription": SimpleNamespace(pk=subscription) if subscription else None,
            "reading": SimpleNamespace(marked_for_later=marked),
        },
    )


def fills(
    request: HttpRequest, user: User, stamp: MemberStamp, state: ReaderState, meta: dict
) -> dict[str, Callable[[], str]]:
    """This member's values for the slots of a shared page."""
    work_id = meta["work_id"]

    def actions() -> str:
        html = _actions_html(
            work_id,
            meta["bookmark_count"],
            work_id in state.kudos,
            state.bookmarks.get(work_id),
            state.subscriptions.get(work_id),
            work_id in state.marked_for_later,
            request.path,
            here(request),
            translation.get_language(),
        )
        return html.replace(_TOKEN, pagecache.visitor_token(request))

    return {
        **frame_fills(request, user, stamp.counts),
        "actions": actions,
        "username": lambda: escape(user.username),
    }


def frame_fills(
    request: HttpRequest, user: User, plain_counts: MenuCounts
) -> dict[str, Callable[[], str]]:
    """The member's menu and banners, which every shared page (listings too) leaves as
    gaps; `plain_counts` are the menu's counts read with the stamp."""

    def nav() -> str:
        counts = plain_counts if not muted_user_ids(user) else _muter_counts(user)
        html = _nav_html(
            user.username, bool(counts.inbox), bool(counts.drafts), translation.get_language()
        )
        return (
            html.replace(_COUNT, str(counts.inbox))
            .replace(_DRAFTS, str(counts.drafts))
            .replace(_TOKEN, pagecache.visitor_token(request))
        )

    def notices() -> str:
        # The suspension banner asks once per request; the state already knows there is
        # none (a suspended member takes the full render).
        request._fanfold_suspension = None  # type: ignore[attr-defined]
        texts = banners(request)
        return _render("archive/_banners.html", {"banners": texts}) if texts else ""

    return {"nav": nav, "banners": notices}
