from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from fanfold.accounts.models import User
from fanfold.blocking.models import MAX_ENTRIES, Block, Mute
from fanfold.memberstate.services import member_state_bump

# Whole sentences per verb, so translators never conjugate an English "block" or "mute".
REFUSALS = {
    "block": (
        gettext_lazy("You can't block yourself."),
        gettext_lazy("Staff accounts can't be blocked; report a problem instead."),
        gettext_lazy("You can block at most %(max)s members."),
    ),
    "mute": (
        gettext_lazy("You can't mute yourself."),
        gettext_lazy("Staff accounts can't be muted; report a problem instead."),
        gettext_lazy("You can mute at most %(max)s members."),
    ),
}


def _check(actor: User, target: User, model, field: str, verb: str) -> None:
    yourself, staff, too_many = REFUSALS[verb]
    if actor.pk == target.pk:
        raise ValidationError(str(yourself))
    if target.is_staff:
        raise ValidationError(str(staff))
    if model.objects.filter(**{field: actor}).count() >= MAX_ENTRIES:
        raise ValidationError(str(too_many) % {"max": f"{MAX_ENTRIES:,}"})


@transaction.atomic
def user_block(*, blocker: User, blocked: User) -> Block:
    _check(blocker, blocked, Block, "blocker", "block")
    block, _ = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    # The blocked member's pages stop offering them what the blocker's works refuse.
    member_state_bump(user_ids=[blocker.pk, blocked.pk])
    return block


@transaction.atomic
def user_unblock(*, blocker: User, blocked: User) -> None:
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    member_state_bump(user_ids=[blocker.pk, blocked.pk])


@transaction.atomic
def user_mute(*, muter: User, muted: User) -> Mute:
    _check(muter, muted, Mute, "muter", "mute")
    mute, _ = Mute.objects.get_or_create(muter=muter, muted=muted)
    member_state_bump(user_ids=[muter.pk])
    return mute


@transaction.atomic
def user_unmute(*, muter: User, muted: User) -> None:
    Mute.objects.filter(muter=muter, muted=muted).delete()
    member_state_bump(user_ids=[muter.pk])
