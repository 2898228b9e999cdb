"""Clean-up of an account from its staff record: "hide everything by this account" and
"delete spam account".

Both hide through the owning apps' services (counters, cached pages and the filter
index move as they would for one hidden comment) and record exactly what they hid, so
`cleanup_restore` can put back that and nothing else for CLEANUP_RESTORE_DAYS. A spam
clean-up also bans the account at once; `cleanups_purge` deletes it for good once the
restore window has passed, again through the services that keep counters right.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import User
from fanfold.accounts.notices import member_notice
from fanfold.audit.services import audit_record
from fanfold.bookmarks.models import Bookmark
from fanfold.bookmarks.services import bookmark_delete, bookmark_set_hidden
from fanfold.comments.models import Comment
from fanfold.comments.services import comment_delete, comment_set_hidden
from fanfold.kudos.services import kudos_withdraw_all
from fanfold.sanctions.models import Cleanup, CleanupKind
from fanfold.sanctions.selectors import active_ban
from fanfold.sanctions.services import PERM, member_ban, sanction_checked, sanction_lift
from fanfold.staff.permissions import require_perm
from fanfold.works.models import Creatorship, Work
from fanfold.works.services import work_delete, work_refresh
from fanfold.works.staff_services import work_set_hidden


def restore_deadline(cleanup: Cleanup) -> datetime.datetime:
    return cleanup.created_at + datetime.timedelta(days=settings.CLEANUP_RESTORE_DAYS)


def can_restore(cleanup: Cleanup, now=None) -> bool:
    return (
        cleanup.restored_at is None
        and cleanup.purged_at is None
        and (now or timezone.now()) < restore_deadline(cleanup)
    )


def _hide_everything(*, actor: User, member: User, reason: str) -> dict[str, list[int]]:
    hidden: dict[str, list[int]] = {"works": [], "comments": [], "bookmarks": []}
    for work in Work.objects.created_by(member).filter(hidden_by_admin=False).distinct():
        work_set_hidden(work=work, hidden=True, actor=actor, reason=reason, notify=False)
        hidden["works"].append(work.pk)
    for comment in Comment.objects.filter(user=member, hidden_by_admin=False, deleted=False):
        comment_set_hidden(comment=comment, hidden=True, actor=actor, reason=reason, notify=False)
        hidden["comments"].append(comment.pk)
    for bookmark in Bookmark.objects.filter(user=member, hidden_by_admin=False):
        bookmark_set_hidden(
            bookmark=bookmark, hidden=True, actor=actor, reason=reason, notify=False
        )
        hidden["bookmarks"].append(bookmark.pk)
    return hidden


@transaction.atomic
def member_hide_everything(*, actor: User, member: User, reason: str) -> Cleanup:
    """Hide every work, comment and bookmark of `member` (one mail tells them)."""
    reason = sanction_checked(actor=actor, member=member, reason=reason)
    hidden = _hide_everything(actor=actor, member=member, reason=reason)
    cleanup = Cleanup.objects.create(
        member=member,
        member_name=member.get_username(),
        kind=CleanupKind.HIDE_ALL,
        reason=reason,
        created_by=actor,
        hidden=hidden,
    )
    _record(cleanup, actor=actor, action="member.hide_everything", changes={"hidden": hidden})
    member_notice(
        user_ids=[member.pk],
        template="sanctions/email/cleanup",
        context={"cleanup": cleanup, "member": member, "counts": _counts(hidden)},
    )
    return cleanup


@transaction.atomic
def member_delete_spam(*, actor: User, member: User, reason: str) -> Cleanup:
    """Hide everything by a spam account and ban it now; it is deleted for good after
    CLEANUP_RESTORE_DAYS unless restored first."""
    reason = sanction_checked(actor=actor, member=member, reason=reason)
    hidden = _hide_everything(actor=actor, member=member, reason=reason)
    ban = active_ban(member) or member_ban(
        actor=actor, member=member, reason=reason, hide_works=False
    )
    cleanup = Cleanup.objects.create(
        member=member,
        member_name=member.get_username(),
        kind=CleanupKind.SPAM,
        reason=reason,
        created_by=actor,
        hidden=hidden,
        ban=ban,
    )
    _record(cleanup, actor=actor, action="member.delete_spam", changes={"hidden": hidden})
    return cleanup


@transaction.atomic
def cleanup_restore(*, actor: User, cleanup: Cleanup, reason: str = "") -> Cleanup:
    """Undo a clean-up within its window: show again what it hid (what was hidden for
    another reason since stays hidden only if it was hidden before) and lift its ban."""
    require_perm(actor, PERM)
    cleanup = Cleanup.objects.select_for_update().get(pk=cleanup.pk)
    if not can_restore(cleanup):
        raise ValidationError(_("This clean-up can no longer be undone."))
    note = reason.strip()
    hidden = cleanup.hidden
    for work in Work.objects.filter(pk__in=hidden.get("works", []), hidden_by_admin=True):
        work_set_hidden(work=work, hidden=False, actor=actor, reason=note, notify=False)
    for comment in Comment.objects.filter(pk__in=hidden.get("comments", []), hidden_by_admin=True):
        comment_set_hidden(comment=comment, hidden=False, actor=actor, reason=note, notify=False)
    for bookmark in Bookmark.objects.filter(
        pk__in=hidden.get("bookmarks", []), hidden_by_admin=True
    ):
        bookmark_set_hidden(bookmark=bookmark, hidden=False, actor=actor, reason=note, notify=False)
    if cleanup.ban is not None and cleanup.ban.lifted_at is None:
        sanction_lift(actor=actor, sanction=cleanup.ban, reason=note or "Clean-up undone.")
    cleanup.restored_at = timezone.now()
    cleanup.restored_by = actor
    cleanup.save(update_fields=["restored_at", "restored_by"])
    _record(cleanup, actor=actor, action="cleanup.restore", reason=note)
    return cleanup


def cleanups_purge(*, now=None) -> int:
    """Delete the spam accounts whose clean-up is older than CLEANUP_RESTORE_DAYS and
    was not undone, with their works, comments, bookmarks and kudos. Returns how many
    accounts went. Each account is one transaction."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.CLEANUP_RESTORE_DAYS)
    due = Cleanup.objects.filter(
        kind=CleanupKind.SPAM,
        created_at__lte=cutoff,
        restored_at__isnull=True,
        purged_at__isnull=True,
        member__isnull=False,
    ).select_related("member")
    purged = 0
    for cleanup in due:
        _purge(cleanup, now=now)
        purged += 1
    return purged


@transaction.atomic
def _purge(cleanup: Cleanup, *, now) -> None:
    member = cleanup.member
    assert member is not None
    for work in Work.objects.created_by(member).distinct():
        others = Creatorship.objects.filter(work=work).exclude(pseud__user=member)
        if others.filter(approved=True).exists():
            # A co-created work stays with its other creators.
            Creatorship.objects.filter(work=work, pseud__user=member).delete()
            work_refresh(work=work)
        else:
            work_delete(work=work, editor=member)
    for comment in Comment.objects.filter(user=member).order_by("-depth"):
        if Comment.objects.filter(pk=comment.pk).exists():  # a thread may have gone already
            comment_delete(comment=comment, user=member)
    for bookmark in Bookmark.objects.filter(user=member):
        bookmark_delete(bookmark=bookmark, user=member)
    kudos_withdraw_all(user=member)
    _record(cleanup, actor=None, action="cleanup.purge")
    cleanup.purged_at = now
    cleanup.save(update_fields=["purged_at"])
    member.delete()


def _counts(hidden: dict[str, list[int]]) -> dict[str, int]:
    return {kind: len(ids) for kind, ids in hidden.items()}


def _record(
    cleanup: Cleanup,
    *,
    actor: User | None,
    action: str,
    reason: str | None = None,
    changes: dict | None = None,
) -> None:
    audit_record(
        action=action,
        actor=actor,
        perm=PERM,
        target=cleanup,
        target_label=f"{cleanup.get_kind_display()}: {cleanup.member_name}",
        member=cleanup.member,
        reason=cleanup.reason if reason is None else reason,
        changes=changes,
    )
