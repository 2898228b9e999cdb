"""Leaving kudos. The unique constraints on `Kudos` are the real guard against doubles;
the counter on the work moves in the same transaction, by an F() expression."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from fanfold.accounts.models import User
from fanfold.archive.lockdown import GUEST_KUDOS_PAUSED
from fanfold.archive.models import SiteSettings
from fanfold.blocking.selectors import blocked_by_any
from fanfold.filters.services import mark_changed
from fanfold.kudos.models import Kudos
from fanfold.memberstate.services import member_state_bump
from fanfold.works.models import Work
from fanfold.works.selectors import creator_user_ids


class AlreadyLeftKudos(ValidationError):
    pass


def kudos_give(*, work: Work, user: User | None, guest_key: str = "") -> Kudos:
    """Leave kudos on `work` as a member (`user`) or as a guest (`guest_key`, a keyed
    hash of their address). Raises PermissionDenied when not allowed, AlreadyLeftKudos
    on a second try."""
    member = user is not None and user.is_authenticated
    if not Work.objects.visible_to(user if member else None).filter(pk=work.pk).exists():
        if not member and Work.objects.members_only().filter(pk=work.pk).exists():
            raise PermissionDenied(_("Log in to leave kudos on members-only works."))
        raise PermissionDenied(_("You can't leave kudos on this work."))
    creators = creator_user_ids(work)
    if member and user.pk in creators:  # type: ignore[union-attr]
        raise PermissionDenied(_("You can't leave kudos on your own work."))
    if member and blocked_by_any(user=user, owners=creators):
        raise PermissionDenied(_("The creator of this work has blocked you."))
    if not member and not guest_key:
        raise PermissionDenied(_("Kudos need an account or an address."))
    if not member and SiteSettings.current().guests_paused:
        raise PermissionDenied(_(GUEST_KUDOS_PAUSED))
    try:
        with transaction.atomic():
            kudos = Kudos.objects.create(
                work=work, user=user if member else None, guest_key="" if member else guest_key
            )
            Work.objects.filter(pk=work.pk).update(
                kudos_count=F("kudos_count") + 1, render_version=F("render_version") + 1
            )
            mark_changed(work_ids=[work.pk], text=False)
            if member:
                member_state_bump(user_ids=[user.pk])  # type: ignore[union-attr]
    except IntegrityError:
        raise AlreadyLeftKudos(_("You have already left kudos here. Thank you!")) from None
    return kudos


@transaction.atomic
def kudos_withdraw_all(*, user: User) -> int:
    """Take back every kudos `user` left (a spam account being deleted), with the
    works' counters. Returns how many went."""
    counts: dict[int, int] = {}
    for work_id in Kudos.objects.filter(user=user).values_list("work_id", flat=True):
        counts[work_id] = counts.get(work_id, 0) + 1
    Kudos.objects.filter(user=user).delete()
    for work_id, n in counts.items():
        Work.objects.filter(pk=work_id).update(
            kudos_count=F("kudos_count") - n, render_version=F("render_version") + 1
        )
    if counts:
        mark_changed(work_ids=list(counts), text=False)
        member_state_bump(user_ids=[user.pk])
    return sum(counts.values())
