"""Writing, editing, deleting and moderating comments.

Every rule a reader could run into is checked here, on the server: the work's (or news
post's) comment setting, the site-wide guest switch, blocks, moderation, and who may
edit or delete. Counters and the work's render version move in the same transaction as
the comment, so cached pages and counts are never behind. What differs between comments
on works and on news posts is in `targets.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fanfold.accounts.models import Pseud, User
from fanfold.archive.background import enqueue_on_commit
from fanfold.archive.models import SiteSettings
from fanfold.blocking.selectors import has_blocked
from fanfold.comments.models import PATH_WIDTH, Comment, CommentStatus, HeldReason, InboxItem
from fanfold.comments.targets import WorkTarget, target_for, target_of
from fanfold.markup import Profile, render_text
from fanfold.memberstate.services import member_state_bump
from fanfold.moderation.hiding import PERM as HIDE_PERM
from fanfold.moderation.hiding import hidden_fields_set, hiding_recorded
from fanfold.news.models import NewsPost
from fanfold.staff.permissions import has_perm, require_perm
from fanfold.works.models import Chapter, Work

BODY_MAX = 10_000
NAME_MAX = 60
# Anything a reader could follow: links in tags and bare addresses alike.
_LINK = re.compile(r"(?:https?://|www\.)[^\s\"'<>]+", re.IGNORECASE)


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
    return WorkTarget(work).permission_error(user, creators)


def _validate(data: CommentFields, member: User | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    body = data.body.strip()
    if not body:
        errors.setdefault("body", []).append(_("Write something before posting your comment."))
    elif len(body) > BODY_MAX:
        errors.setdefault("body", []).append(
            ngettext(
                "Comments can be at most %(limit)s character long (this one has %(count)s).",
                "Comments can be at most %(limit)s characters long (this one has %(count)s).",
                BODY_MAX,
            )
            % {"limit": f"{BODY_MAX:,}", "count": f"{len(body):,}"}
        )
    if member is None:
        if not data.guest_name.strip():
            errors.setdefault("guest_name", []).append(_("Please give a name."))
        elif len(data.guest_name.strip()) > NAME_MAX:
            errors.setdefault("guest_name", []).append(
                ngettext("At most %(max)s character.", "At most %(max)s characters.", NAME_MAX)
                % {"max": NAME_MAX}
            )
        if not data.guest_email.strip():
            errors.setdefault("guest_email", []).append(
                _("Please give an e-mail address (it is never shown).")
            )
    elif data.pseud is not None and data.pseud.user_id != member.pk:
        errors.setdefault("pseud", []).append(_("Choose one of your own pseuds."))
    return errors


def link_count(body: str) -> int:
    """How many different links a comment carries (`<a href="x">x</a>` is one)."""
    return len({link.lower().rstrip(".,;:!?)") for link in _LINK.findall(body)})


def _hold_reason(*, member: User | None, body: str, by_creator: bool) -> str:
    """Why the spam defence holds this comment for approval, or "" to publish it."""
    site = SiteSettings.current()
    if member is None:
        limit = site.guest_link_limit
        return HeldReason.LINKS if limit is not None and link_count(body) > limit else ""
    if by_creator or not site.held_first_comments or has_perm(member, "moderate_comments"):
        return ""
    published = Comment.objects.filter(user=member, status=CommentStatus.PUBLISHED).count()
    return HeldReason.NEW_MEMBER if published < site.held_first_comments else ""


def _render(body: str) -> str:
    # Comments are written as light HTML; blank lines become paragraphs.
    text = body.strip()
    fmt = "html" if "<" in text else "plain"
    return render_text(text, fmt, Profile.COMMENT, field="body")


@transaction.atomic
def comment_create(
    *,
    work: Work | None = None,
    news_post: NewsPost | None = None,
    user: User | None,
    data: CommentFields,
    chapter: Chapter | None = None,
    parent: Comment | None = None,
) -> Comment:
    """Post a comment on a chapter (or the whole work) or on a news post, or a reply to
    `parent` there."""
    member = _member(user)
    target = target_of(work=work, news_post=news_post)
    creators = target.owner_ids()
    reason = target.permission_error(member, creators)
    if reason:
        raise PermissionDenied(reason)
    if parent is not None:
        if (
            not target.holds(parent)
            or parent.deleted
            or not (parent.status == CommentStatus.PUBLISHED and not parent.hidden_by_admin)
        ):
            raise PermissionDenied(_("That comment can't be replied to."))
        if (
            member is not None
            and parent.user_id
            and has_blocked(blocker_id=parent.user_id, user_id=member.pk)
        ):
            raise PermissionDenied(_("You can't reply to this comment."))
        chapter = parent.chapter
    if chapter is not None and (work is None or chapter.work_id != work.pk or not chapter.posted):
        raise PermissionDenied(_("No such chapter."))
    errors = _validate(data, member)
    if errors:
        raise ValidationError(errors)
    by_creator = member is not None and member.pk in creators
    held = _hold_reason(member=member, body=data.body, by_creator=by_creator)
    pending = bool(held) or (target.moderated and not by_creator)
    comment = Comment.objects.create(
        **target.lookup,
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
        held_reason=held,
    )
    own = str(comment.pk).zfill(PATH_WIDTH)
    comment.thread_id = parent.thread_id if parent else comment.pk
    comment.path = f"{parent.path}/{own}" if parent else own
    comment.save(update_fields=["thread", "path"])
    if member is not None and work is not None:
        # Members with a comment on a work read its comment threads rendered for them
        # (their own Edit/Delete links, their pending or hidden comments).
        member_state_bump(user_ids=[member.pk])
    if pending:
        target.touch()  # creators see it in their moderation queue on the page
        if not held:
            # A held comment may be spam: nobody's inbox hears of it until approved.
            _notify(comment, creators, include_parent=False)
    else:
        target.recount(+1)
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
        raise PermissionDenied(_("Only the person who wrote a comment can edit it."))
    return member


@transaction.atomic
def comment_update(*, comment: Comment, user: User | None, body: str) -> Comment:
    _require_author(comment, user)
    if comment.deleted:
        raise PermissionDenied(_("This comment was deleted."))
    errors = _validate(CommentFields(body=body), comment.user)
    if errors:
        raise ValidationError(errors)
    comment.body = body.strip()
    comment.body_html = _render(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    target_for(comment).touch()
    return comment


def can_delete(*, comment: Comment, user: User | None) -> bool:
    member = _member(user)
    if member is None:
        return False
    if has_perm(member, "moderate_comments") or comment.user_id == member.pk:
        return True
    return member.pk in target_for(comment).owner_ids()


@transaction.atomic
def comment_delete(*, comment: Comment, user: User | None) -> None:
    """The author, the work's creators (a news post's author) and staff may delete. A
    comment with replies stays as a "deleted" placeholder so the replies keep their
    place."""
    if not can_delete(comment=comment, user=user):
        raise PermissionDenied(_("You can't delete this comment."))
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
    target = target_for(comment)
    if counted:
        target.recount(-1)
    else:
        target.touch()


@transaction.atomic
def comment_approve(*, comment: Comment, user: User | None) -> Comment:
    """A creator (or staff who moderate comments) lets a waiting comment through."""
    member = _member(user)
    target = target_for(comment)
    creators = target.owner_ids()
    if member is None or (member.pk not in creators and not has_perm(member, "moderate_comments")):
        raise PermissionDenied(_("Only the work's creators and moderators can approve comments."))
    if comment.status != CommentStatus.PENDING:
        return comment
    comment.status = CommentStatus.PUBLISHED
    comment.save(update_fields=["status"])
    if not comment.hidden_by_admin:
        target.recount(+1)
    if comment.held_reason:
        # Held by the spam defence: this is the first anyone hears of it.
        _notify(comment, creators, include_parent=True)
        return comment
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
    target = target_for(comment)
    counted = comment.status == CommentStatus.PUBLISHED and not comment.deleted
    if counted and "hidden_by_admin" in changes:
        target.recount(-1 if hidden else +1)
    else:
        target.touch()
    hiding_recorded(
        comment,
        kind="comment",
        title=str(target.obj),
        changes=changes,
        reason=reason,
        actor=actor,
        member=comment.user,
        user_ids=[comment.user_id] if comment.user_id else [],
        link=target.comment_url(comment),
        notify=notify,
    )
    return comment


@transaction.atomic
def inbox_mark(*, user: User, item_ids: list[int], read: bool) -> int:
    return InboxItem.objects.filter(user=user, pk__in=item_ids).update(read=read)


@transaction.atomic
def inbox_delete(*, user: User, item_ids: list[int]) -> int:
    return InboxItem.objects.filter(user=user, pk__in=item_ids).delete()[0]
