"""Reads for accounts."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.db.models.functions import Lower

from fanfold.accounts.models import Pseud, User
from fanfold.staff.permissions import has_perm
from fanfold.works.models import Work


def username_taken(username: str) -> bool:
    """Whether an account already has this name, whatever its capitalisation."""
    return User.objects.filter(username__iexact=username).exists()


def pseud_name_taken(*, user: User, name: str) -> bool:
    return user.pseuds.filter(name__iexact=name).exists()


def signed_in(user: User | AnonymousUser) -> User | None:
    """The member making a request, or None for a guest (what the viewer-taking
    selectors expect)."""
    return user if isinstance(user, User) else None


def user_can_manage(*, actor: User | AnonymousUser, owner: User) -> bool:
    """Whether `actor` may change `owner`'s pseuds: the owner themself, or moderators
    (who tidy abusive pen names and descriptions)."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    return actor.pk == owner.pk or has_perm(actor, "hide_content")


def public_users():
    """Accounts that have a public profile; closed accounts look like unknown ones."""
    return User.objects.filter(is_active=True)


def public_pseuds():
    return Pseud.objects.select_related("user").filter(user__is_active=True)


def authors_list(*, viewer: User | None, letter: str = ""):
    """Members with at least one work `viewer` may see, alphabetical, each annotated
    with `work_count` (only the works that viewer may see are counted)."""
    from django.db.models import Count

    from fanfold.works.models import Work

    visible = Work.objects.visible_to(viewer)
    authors = public_users().filter(
        pseuds__creatorships__approved=True,
        pseuds__creatorships__work__in=visible.values("pk"),
    )
    if letter:
        authors = authors.filter(username__istartswith=letter)
    # The filter above and this count share one join, so the count is of visible works.
    return authors.annotate(work_count=Count("pseuds__creatorships__work", distinct=True)).order_by(
        Lower("username"), "pk"
    )


# A search names at most this many words; more would only slow the query down.
PEOPLE_SEARCH_WORDS = 8


def people_search(*, query: str, viewer: User | None):
    """Pen names (of open accounts) or account names holding every word of `query`,
    A to Z, each annotated with `work_count`: the works under that pen name `viewer` may
    see (as on the authors page, never a draft's or a hidden work's)."""
    words = query.split()[:PEOPLE_SEARCH_WORDS]
    if not words:
        return Pseud.objects.none()
    pseuds = public_pseuds()
    for word in words:
        pseuds = pseuds.filter(Q(name__icontains=word) | Q(user__username__icontains=word))
    visible = Q(
        creatorships__approved=True,
        creatorships__work__in=Work.objects.visible_to(viewer).values("pk"),
    )
    return pseuds.annotate(work_count=Count("creatorships", filter=visible)).order_by(
        Lower("name"), Lower("user__username"), "pk"
    )
