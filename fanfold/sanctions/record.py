"""A member's staff record: what the page shows, gathered in a fixed number of queries.

Other apps add sections (reports made and received, from fanfold.reports) with
`record_section_register`: a function `(member, viewer) -> RecordSection | None`, called
when the page is drawn, so the record never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import ip_address
from typing import Any

from django.db.models import Q, QuerySet

from fanfold.accounts.models import User
from fanfold.audit.models import AuditEntry
from fanfold.bookmarks.models import Bookmark
from fanfold.comments.models import Comment
from fanfold.sanctions.models import Cleanup, MemberAddress, Sanction
from fanfold.sanctions.selectors import sanctions_of
from fanfold.works.models import Work

RECENT_ADDRESSES = 20
RECENT_ACTIONS = 50


@dataclass
class RecordSection:
    """One extra part of the record: `template` is included with `section` in context."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


RecordSectionFn = Callable[[User, Any], RecordSection | None]
_sections: list[RecordSectionFn] = []


def record_section_register(fn: RecordSectionFn) -> RecordSectionFn:
    if fn not in _sections:
        _sections.append(fn)
    return fn


@dataclass
class MemberRecord:
    member: User
    sanctions: list[Sanction]
    cleanups: list[Cleanup]
    actions: list[AuditEntry]
    signup_address: MemberAddress | None
    addresses: list[MemberAddress]
    works: int
    comments: int
    bookmarks: int
    sections: list[RecordSection]


def member_record(*, member: User, viewer: Any) -> MemberRecord:
    addresses = list(MemberAddress.objects.filter(member=member)[:RECENT_ADDRESSES])
    signup = MemberAddress.objects.filter(member=member, at_signup=True).first()
    return MemberRecord(
        member=member,
        sanctions=list(sanctions_of(member)),
        cleanups=list(Cleanup.objects.filter(member=member).select_related("created_by")),
        actions=list(
            AuditEntry.objects.filter(member=member).select_related("actor")[:RECENT_ACTIONS]
        ),
        signup_address=signup,
        addresses=addresses,
        works=Work.objects.created_by(member).distinct().count(),
        comments=Comment.objects.filter(user=member, deleted=False).count(),
        bookmarks=Bookmark.objects.filter(user=member).count(),
        sections=[s for fn in _sections if (s := fn(member, viewer)) is not None],
    )


def members_search(q: str) -> QuerySet[User]:
    """Members by name (part of it), e-mail address (part of it) or an address they
    were seen at (exactly)."""
    q = q.strip()
    if not q:
        return User.objects.none()
    match = Q(username__icontains=q) | Q(email__icontains=q)
    match |= Q(pk__in=MemberAddress.objects.filter(ip=q).values("member")) if _is_ip(q) else Q()
    return User.objects.filter(match).order_by("username")


def _is_ip(text: str) -> bool:
    try:
        ip_address(text)
    except ValueError:
        return False
    return True
