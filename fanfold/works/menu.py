"""The counts in a member's menu: the inbox badge and "Drafts (N)".

Every page a member sees shows both, so they are read in one query together; pages
from the members' shared cache (fanfold.works.memberpages, .memberlistings) read them
as columns of the stamp query they run anyway, so the menu costs them no query at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import IntegerField, QuerySet, Subquery

from fanfold.accounts.models import User
from fanfold.comments.selectors import inbox_items
from fanfold.works.models import Creatorship, Work


@dataclass(frozen=True)
class MenuCounts:
    # Unread comment notices plus co-creator invitations waiting for an answer: the
    # inbox shows both, so its badge counts both.
    inbox: int
    drafts: int


class _CountOf(Subquery):
    """`(SELECT COUNT(*) FROM (<rows>))`: a count that can sit beside other columns."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


def drafts_of(user: User) -> QuerySet[Work]:
    """The unposted works `user` is a credited creator of (each once, whatever the
    number of their pseuds on it)."""
    mine = Creatorship.objects.filter(pseud__user=user, approved=True).values("work")
    return Work.objects.filter(posted=False, pk__in=mine)


# The names of the three counts, in `counts_from_row`'s order.
COUNT_COLUMNS = ("menu_unread", "menu_invitations", "menu_drafts")


def count_columns(user: User) -> dict[str, Subquery]:
    """The three counts as columns any one-row query can carry (the member pages' stamps
    carry them, fanfold.works.memberpages): unread comment notices, invitations, drafts."""
    unread = inbox_items(user=user, unread_only=True).order_by().values("pk")
    invitations = Creatorship.objects.filter(pseud__user=user, approved=False).values("pk")
    drafts = drafts_of(user).order_by().values("pk")
    return dict(zip(COUNT_COLUMNS, map(_CountOf, (unread, invitations, drafts)), strict=True))


def menu_counts_query(user: User) -> QuerySet:
    """One row, three counts: unread comment notices, invitations, drafts."""
    # The user's own row carries the counts: the ORM needs a table to select from.
    return (
        User.objects.filter(pk=user.pk).annotate(**count_columns(user)).values_list(*COUNT_COLUMNS)
    )


def counts_from_row(row: tuple | None) -> MenuCounts:
    if row is None:
        return MenuCounts(inbox=0, drafts=0)
    unread, invitations, drafts = row
    return MenuCounts(inbox=unread + invitations, drafts=drafts)


def menu_counts(user: User) -> MenuCounts:
    """The member menu's counts (one query)."""
    return counts_from_row(menu_counts_query(user).first())
