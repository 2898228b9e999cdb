"""Subscribing, and turning posts into notices for subscribers.

`notices_for_*` are called by the works services in the transaction that posts, so a
notice exists exactly when the post does; the e-mail goes out later, in a batch.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fanfold.accounts.models import User
from fanfold.archive.background import enqueue_on_commit
from fanfold.memberstate.services import member_state_bump
from fanfold.subscriptions.models import Notice, NoticeKind, Subscription
from fanfold.works.models import Approval, Chapter, Series, Work
from fanfold.works.selectors import creator_user_ids

UNSUBSCRIBE_SALT = "fanfold.subscriptions.unsubscribe"


@transaction.atomic
def subscription_create(
    *,
    user: User,
    work: Work | None = None,
    series: Series | None = None,
    creator: User | None = None,
) -> Subscription:
    targets = [t for t in (work, series, creator) if t is not None]
    if len(targets) != 1:
        raise ValidationError(_("Subscribe to one work, series or creator at a time."))
    if work is not None and not Work.objects.visible_to(user).filter(pk=work.pk).exists():
        raise PermissionDenied(_("You can't subscribe to this work."))
    if series is not None and not Series.objects.readable_by(user).filter(pk=series.pk).exists():
        raise PermissionDenied(_("You can't subscribe to this series."))
    if creator is not None and creator.pk == user.pk:
        raise ValidationError(_("You can't subscribe to yourself."))
    member_state_bump(user_ids=[user.pk])  # the work page's Subscribe button
    try:
        with transaction.atomic():
            return Subscription.objects.create(user=user, work=work, series=series, creator=creator)
    except IntegrityError:
        return Subscription.objects.get(user=user, work=work, series=series, creator=creator)


@transaction.atomic
def subscription_delete(*, subscription: Subscription, user: User | None) -> None:
    if user is None or subscription.user_id != user.pk:
        raise PermissionDenied(_("This subscription is not yours."))
    subscription.delete()
    member_state_bump(user_ids=[user.pk])


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps({"s": subscription.pk, "u": subscription.user_id}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_all_token(user: User) -> str:
    return signing.dumps({"all": user.pk}, salt=UNSUBSCRIBE_SALT)


@transaction.atomic
def unsubscribe_with_token(token: str) -> int:
    """The one-click unsubscribe from an e-mail: the signed token is the authority, no
    login needed. Returns how many subscriptions were removed."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise PermissionDenied(_("This unsubscribe link is not valid.")) from None
    member_state_bump(user_ids=[data.get("all") or data.get("u")])
    if "all" in data:
        return Subscription.objects.filter(user_id=data["all"]).delete()[0]
    return Subscription.objects.filter(pk=data["s"], user_id=data["u"]).delete()[0]


def _queue(notices: list[Notice]) -> None:
    if not notices:
        return
    Notice.objects.bulk_create(notices, ignore_conflicts=True)
    from fanfold.subscriptions.tasks import send_pending_notices

    delay = settings.NOTICE_BATCH_SECONDS
    if delay:
        run_after = timezone.now() + timedelta(seconds=delay)
        enqueue_on_commit(send_pending_notices.using(run_after=run_after))
    else:
        enqueue_on_commit(send_pending_notices)


def notices_for_chapter(*, chapter: Chapter) -> None:
    """A chapter was posted to an already posted work: tell the work's subscribers."""
    work = chapter.work
    # A work in the moderation queue tells nobody; approving it sends the work notice.
    if not (work.posted and chapter.posted) or work.approval != Approval.APPROVED:
        return
    creators = set(creator_user_ids(work))
    subs = Subscription.objects.filter(work=work).exclude(user_id__in=creators)
    _queue(
        [
            Notice(
                subscription=s,
                user_id=s.user_id,
                work=work,
                chapter=chapter,
                kind=NoticeKind.CHAPTER,
            )
            for s in subs
        ]
    )


def notices_for_work(*, work: Work) -> None:
    """A work was posted (or approved by the moderators): tell subscribers of its
    creators and of its series."""
    if not work.posted or work.approval != Approval.APPROVED:
        return
    first = work.chapters.public().order_by("position").first()
    if first is None:
        return
    creators = creator_user_ids(work)
    subs = (
        Subscription.objects.filter(creator_id__in=creators)
        | Subscription.objects.filter(
            series__serial_works__work=work, series__serial_works__approved=True
        )
    ).exclude(user_id__in=creators)
    _queue(
        [
            Notice(
                subscription=s, user_id=s.user_id, work=work, chapter=first, kind=NoticeKind.WORK
            )
            for s in subs.distinct()
        ]
    )
