"""Writing, editing, deleting and moderating comments.

Every rule a reader could run into is checked here, on the server: the work's comment
setting, the site-wide guest switch, blocks, moderation, and who may edit or delete.
Counters and the work's render version move in the same transaction as the comment, so
cached pages and counts are never behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fanfold.accounts.models import Pseud, User
from fanfold.archive.background import enqueue_on_commit
from fanfold.archive.models import SiteSettings
from fanfold.blocking.selectors import blocked_by_any, has_blocked
from fanfold.comments.models import PATH_WIDTH, Comment, CommentStatus, InboxItem
from fanfold.filters.services import mark_changed
from fanfold.markup import Profile, render_text
from fanfold.moderation.hiding import PERM as HIDE_PERM
from fanfold.moderation.hiding import hidden_fields_set, hiding_recorded
from fanfold.staff.permissions import has_perm, require_perm
from fanfold.works.models import Approval, Chapter, CommentPermission, Work
from fanfold.works.selectors import creator_user_ids

BODY_MAX = 10_000
NAME_MAX = 60


@dataclass
class CommentFields:
    body: str
    guest_name: str = ""
    guest_email: str = ""
    pseud: Pseud | None = None


def _member(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def comment_permission_error(
    *, work: Work, user: User | None, creators: list[int] | None = None
) -> str | None:
    """Why `user` may not comment on `work`, or None when they may. Pages use it to show
    the right message instead of a form. `creators` saves a query when known."""
    member = _member(user)
    if not work.posted:
        return "Comments open once the work is posted."
    if work.approval != Approval.APPROVED:
        return "Comments open once the moderators approve the work."
    if work.comment_permission == CommentPermission.NOBODY:
        return "The creator has turned comments off for this work."
    if member is None:
        if work.restricted:
            return "Log in to comment on members-only works."
        if work.comment_permission == CommentPermission.REGISTERED:
            return "Only registered users can comment on this work. Log in to comment."
        if not SiteSettings.current().guest_comments:
            return "Guest comments are turned off on this archive. Log in to comment."
    elif blocked_by_any(
        user=member, owners=creators if creators is not None else creator_user_ids(work)
    ):
        return "The creator of this work has blocked you from commenting."
    return None


def _validate(data: CommentFields, member: User | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    body = data.body.strip()
    if not body:
        errors.setdefault("body", []).append("Write something before posting your comment.")
    elif len(body) > BODY_MAX:
        errors.setdefault("body", []).append(
            f"Comments can be at most {BODY_MAX:,} characters long (this one has {len(body):,})."
        )
    if member is None:
        if not data.guest_name.strip():
            errors.setdefault("guest_name", []).append("Please give a name.")
        elif len(data.guest_name.strip()) > NAME_MAX:
            errors.setdefault("guest_name", []).append(f"At most {NAME_MAX} characters.")
        if not data.guest_email.strip():
            errors.setdefault("guest_email", []).append(
                "Please give an e-mail address (it is never shown)."
            )
    elif data.pseud is not None and data.pseud.user_id != member.pk:
        errors.setdefault("pseud", []).append("Choose one of your own pseuds.")
    return errors


def _render(body: str) -> str:
    # Comments are written as light HTML; blank lines become paragraphs.
    text = body.strip()
    fmt = "html" if "<" in text else "plain"
    return render_text(text, fmt, Profile.COMMENT)


def _bump(work_id: int, delta: int) -> None:
    Work.objects.filter(pk=work_id).update(
        comment_count=F("comment_count") + delta, render_version=F("render_version") + 1
    )
    mark_changed(work_ids=[work_id], text=False)  # comment counts sort and filter


def _touch(work_id: int) -> None:
    Work.objects.filter(pk=work_id).make_pages_stale()


@transaction.atomic
def comment_create(
    *,
    work: Work,
    user: User | None,
    data: CommentFields,
    chapter: Chapter | None = None,
    parent: Comment | None = None,
) -> Comment:
    """Post a comment on a chapter (or the whole work), or a reply to `parent`."""
    member = _member(user)
    creators = creator_user_ids(work)
    reason = comment_permission_error(work=work, user=member, creators=creators)
    if reason:
        raise PermissionDenied(reason)
    if parent is not None:
        if (
            parent.work_id != work.pk
            or parent.deleted
            or not (parent.status == CommentStatus.PUBLISHED and not parent.hidden_by_admin)
        ):
            raise PermissionDenied("That comment can't be replied to.")
        if (
            member is not None
            and parent.user_id
            and has_blocked(blocker_id=parent.user_id, user_id=member.pk)
        ):
            raise PermissionDenied("You can't reply to this comment.")
        chapter = parent.chapter
    if chapter is not None and (chapter.work_id != work.pk or not chapter.posted):
        raise PermissionDenied("No such chapter.")
    errors = _validate(data, member)
    if errors:
        raise ValidationError(errors)
    by_creator = member is not None and member.pk in creators
    pending = work.moderated_comments and not by_creator
    comment = Comment.objects.create(
        work=work,
        chapter=chapter,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        user=member,
        pseud=(data.pseud or member.default_pseud) if member else None,
        guest_name="" if member else data.guest_name.strip(),
        guest_email="" if member else data.guest_email.strip(),
        body=data.body.strip(),
        body_html=_render(data.body),
        by_creator=by_creator,
        status=CommentStatus.PENDING if pending else CommentStatus.PUBLISHED,
    )
    own = str(comment.pk).zfill(PATH_WIDTH)
    comment.thread_id = parent.thread_id if parent else comment.pk
    comment.path = f"{parent.path}/{own}" if parent else own
    comment.save(update_fields=["thread", "path"])
    if pending:
        _touch(work.pk)  # creators see it in their moderation queue on the page
        _notify(comment, creators, include_parent=False)
    else:
        _bump(work.pk, +1)
        _notify(comment, creators, include_parent=True)
    return comment


def _notify(comment: Comment, creators: list[int], *, include_parent: bool) -> None:
    """Inbox notices: the work's creators for every comment, the parent's author for a
    reply. Nobody is told about their own comment."""
    recipients: dict[int, bool] = {uid: False for uid in creators}
    parent = comment.parent
    if include_parent and parent is not None and parent.user_id:
        recipients[parent.user_id] = True
    recipients.pop(comment.user_id or 0, None)
    if not recipients:
        return
    items = InboxItem.objects.bulk_create(
        [
            InboxItem(user_id=uid, comment=comment, is_reply=reply)
            for uid, reply in recipients.items()
        ],
        ignore_conflicts=True,
    )
    del items  # ids are not returned on every backend with ignore_conflicts
    wants_mail = User.objects.filter(
        pk__in=list(recipients), comment_emails=True, is_active=True
    ).exclude(email="")
    if wants_mail.exists():
        from fanfold.comments.tasks import send_comment_emails

        enqueue_on_commit(send_comment_emails, comment.pk)


def _require_author(comment: Comment, user: User | None) -> User:
    member = _member(user)
    if member is None or comment.user_id != member.pk:
        raise PermissionDenied("Only the person who wrote a comment can edit it.")
    return member


@transaction.atomic
def comment_update(*, comment: Comment, user: User | None, body: str) -> Comment:
    _require_author(comment, user)
    if comment.deleted:
        raise PermissionDenied("This comment was deleted.")
    errors = _validate(CommentFields(body=body), comment.user)
    if errors:
        raise ValidationError(errors)
    comment.body = body.strip()
    comment.body_html = _render(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    _touch(comment.work_id)
    return comment


def can_delete(*, comment: Comment, user: User | None) -> bool:
    member = _member(user)
    if member is None:
        return False
    if has_perm(member, "moderate_comments") or comment.user_id == member.pk:
        return True
    return member.pk in creator_user_ids(comment.work)


@transaction.atomic
def comment_delete(*, comment: Comment, user: User | None) -> None:
    """The author, the work's creators and staff may delete. A comment with replies
    stays as a "deleted" placeholder so the replies keep their place."""
    if not can_delete(comment=comment, user=user):
        raise PermissionDenied("You can't delete this comment.")
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.deleted:
        return
    counted = comment.status == CommentStatus.PUBLISHED and not comment.hidden_by_admin
    if comment.replies.exists():
        comment.deleted = True
        comment.body = comment.body_html = ""
        comment.save(update_fields=["deleted", "body", "body_html"])
    else:
        parent = comment.parent
        comment.delete()
        # A placeholder whose last reply is gone has nothing left to hold together.
        while parent is not None and parent.deleted and not parent.replies.exists():
            grandparent = parent.parent
            parent.delete()
            parent = grandparent
    if counted:
        _bump(comment.work_id, -1)
    else:
        _touch(comment.work_id)


@transaction.atomic
def comment_approve(*, comment: Comment, user: User | None) -> Comment:
    """A creator lets a comment on a moderated work through."""
    member = _member(user)
    creators = creator_user_ids(comment.work)
    if member is None or (member.pk not in creators and not has_perm(member, "moderate_comments")):
        raise PermissionDenied("Only the work's creators can approve comments.")
    if comment.status != CommentStatus.PENDING:
        return comment
    comment.status = CommentStatus.PUBLISHED
    comment.save(update_fields=["status"])
    if not comment.hidden_by_admin:
        _bump(comment.work_id, +1)
    parent_author = comment.parent.user_id if comment.parent is not None else None
    if parent_author and parent_author != comment.user_id and parent_author not in creators:
        InboxItem.objects.get_or_create(
            user_id=parent_author, comment=comment, defaults={"is_reply": True}
        )
    return comment


@transaction.atomic
def comment_set_hidden(
    *, comment: Comment, hidden: bool, actor: User, reason: str = "", notify: bool = True
) -> Comment:
    """Staff hide a comment from everyone but its writer and staff (or show it again).
    The writer is mailed `reason` and sees it under the comment."""
    require_perm(actor, HIDE_PERM)
    changes = hidden_fields_set(
        comment, hidden=hidden, reason=reason, refresh=("status", "deleted")
    )
    if not changes:
        return comment
    counted = comment.status == CommentStatus.PUBLISHED and not comment.deleted
    if counted and "hidden_by_admin" in changes:
        _bump(comment.work_id, -1 if hidden else +1)
    else:
        _touch(comment.work_id)
    hiding_recorded(
        comment,
        kind="comment",
        what=f"comment on “{comment.work.title}”",
        changes=changes,
        reason=reason,
        actor=actor,
        member=comment.user,
        user_ids=[comment.user_id] if comment.user_id else [],
        link=comment.get_absolute_url(),
        notify=notify,
    )
    return comment


@transaction.atomic
def inbox_mark(*, user: User, item_ids: list[int], read: bool) -> int:
    return InboxItem.objects.filter(user=user, pk__in=item_ids).update(read=read)


@transaction.atomic
def inbox_delete(*, user: User, item_ids: list[int]) -> int:
    return InboxItem.objects.filter(user=user, pk__in=item_ids).delete()[0]
