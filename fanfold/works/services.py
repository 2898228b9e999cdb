"""Writes for works: creating, editing, posting and deleting them, their co-creators,
and `work_refresh`, which every write to a work or its chapters ends with. Views,
importers, the admin and the demo loader all come through here, so validation, derived
fields and permissions behave the same. Chapters have their own module
(`chapter_services`), and so do staff actions on a work (`staff_services`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext

from fanfold.accounts.models import Pseud, User
from fanfold.accounts.notices import member_notice
from fanfold.archive.models import SiteSettings
from fanfold.audit.services import audit_record
from fanfold.filters.services import mark_changed
from fanfold.markup import count_words, render_text
from fanfold.staff.permissions import has_perm
from fanfold.subscriptions.services import notices_for_work
from fanfold.tags.models import Tag, TagType
from fanfold.tags.services import tags_find_or_create
from fanfold.works.fields import (
    ChapterFields,
    WorkFields,
    validate_chapter_fields,
    validate_work_fields,
)
from fanfold.works.models import (
    Approval,
    Chapter,
    Creatorship,
    Series,
    Work,
    WorkTag,
)
from fanfold.works.selectors import creator_user_ids, user_can_edit_work
from fanfold.works.series_services import series_add_work

NAMED_TAG_TYPES = (TagType.FANDOM, TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM)


def require_editor(*, work: Work, editor: User) -> None:
    if not user_can_edit_work(editor, work):
        raise PermissionDenied(gettext("Only this work's creators can change it."))


# --- works ------------------------------------------------------------------------------


def _apply_work_fields(work: Work, data: WorkFields) -> None:
    fmt = data.text_format
    work.title = data.title.strip()
    work.text_format = fmt
    work.summary, work.summary_html = data.summary, render_text(data.summary, fmt, field="summary")
    work.notes, work.notes_html = data.notes, render_text(data.notes, fmt, field="notes")
    work.endnotes, work.endnotes_html = (
        data.endnotes,
        render_text(data.endnotes, fmt, field="endnotes"),
    )
    work.language = data.language
    work.expected_chapters = data.expected_chapters
    work.restricted = data.restricted
    work.comment_permission = data.comment_permission
    work.moderated_comments = data.moderated_comments
    work.rating = data.rating
    work.challenge_id = data.challenge_id


def _set_work_tags(work: Work, data: WorkFields) -> None:
    assert data.rating is not None  # validate_work_fields ran first
    tags: list[Tag] = [data.rating, *data.warnings, *data.categories]
    for tag_type, names in zip(
        NAMED_TAG_TYPES,
        (data.fandoms, data.relationships, data.characters, data.freeforms),
        strict=True,
    ):
        tags.extend(tags_find_or_create(names=names, tag_type=tag_type))
    wanted = {t.pk for t in tags}
    WorkTag.objects.filter(work=work).exclude(tag_id__in=wanted).delete()
    have = set(WorkTag.objects.filter(work=work).values_list("tag_id", flat=True))
    WorkTag.objects.bulk_create([WorkTag(work=work, tag_id=pk) for pk in wanted - have])


def _set_series(work: Work, data: WorkFields, user: User) -> None:
    """Add the work to the series named by title (the user's own; a new title starts
    one) and to the series given by id (anyone's, as its state allows)."""
    title = data.series_title.strip()
    if title:
        series = Series.objects.filter(owner=user, title__iexact=title).first()
        if series is None:
            series = Series.objects.create(owner=user, title=title)
        series_add_work(series=series, work=work, user=user)
    if data.series_id is not None:
        other = Series.objects.readable_by(user).filter(pk=data.series_id).first()
        if other is None:
            raise ValidationError({"series_ref": [gettext("There is no series with that number.")]})
        series_add_work(series=other, work=work, user=user)


@transaction.atomic
def work_create(
    *,
    creator: User,
    data: WorkFields,
    chapter: ChapterFields,
    post: bool,
    pseuds: list[Pseud] | None = None,
    cocreators: list[Pseud] | None = None,
    now=None,
) -> Work:
    """Create a work with its first chapter, as a draft or posted at once.

    `pseuds` are the creator's own pen names to credit (default pseud if omitted);
    `cocreators` are other users' pseuds, invited and shown once they accept.
    """
    validate_work_fields(data)
    validate_chapter_fields(chapter)
    pseuds = pseuds or [creator.default_pseud]
    if any(p.user_id != creator.pk for p in pseuds):
        raise PermissionDenied(gettext("You can only credit your own pseuds."))
    work = Work()
    _apply_work_fields(work, data)
    work.save()
    for position, pseud in enumerate(pseuds):
        Creatorship.objects.create(work=work, pseud=pseud, approved=True, position=position)
    for pseud in cocreators or []:
        cocreator_invite(work=work, inviter=creator, pseud=pseud)
    _set_work_tags(work, data)
    _set_series(work, data, creator)
    first = Chapter(work=work, position=1)
    apply_chapter_fields(first, chapter, data.text_format)
    first.save()
    if post:
        _post_work(work, poster=creator, now=now)
    else:
        work_refresh(work=work)
    return work


@transaction.atomic
def work_update(*, work: Work, editor: User, data: WorkFields) -> Work:
    require_editor(work=work, editor=editor)
    validate_work_fields(data)
    _apply_work_fields(work, data)
    work.save()
    _set_work_tags(work, data)
    _set_series(work, data, editor)
    work_refresh(work=work)
    # A cycle: revisions uses this module's work_refresh (and staff_services, which
    # imports this module).
    from fanfold.works.revisions import revision_fulfil

    revision_fulfil(work=work, editor=editor)
    return work


@transaction.atomic
def work_post(*, work: Work, editor: User, now=None) -> Work:
    """Post a draft work: it and its draft chapters become visible (or go to the
    moderation queue). Posting a rejected work again sends it back to the queue."""
    require_editor(work=work, editor=editor)
    if work.posted and work.approval == Approval.REJECTED:
        return _resubmit_work(work, poster=editor)
    return _post_work(work, poster=editor, now=now)


def approval_on_post(*, work: Work, poster: User) -> str:
    """Whether a work `poster` posts goes straight out or waits for the moderators."""
    if has_perm(poster, "approve_works"):
        return Approval.APPROVED
    if work.posted and work.approval != Approval.APPROVED:
        # Already in the queue or turned down: only the moderators let it out.
        return Approval.PENDING
    if poster.trusted_author or not SiteSettings.current().works_need_approval:
        return Approval.APPROVED
    return Approval.PENDING


def _post_work(work: Work, *, poster: User, now=None) -> Work:
    now = now or timezone.now()
    work.chapters.filter(posted=False).update(posted=True, published_at=now)
    work.posted = True
    work.approval = approval_on_post(work=work, poster=poster)
    work.save(update_fields=["posted", "approval"])
    work = work_refresh(work=work, updated_at=now)
    # Does nothing while the work waits; moderation.services.work_approve sends them.
    notices_for_work(work=work)
    return work


def _resubmit_work(work: Work, *, poster: User) -> Work:
    # The work keeps its dates: readers first see it when it is approved.
    work.chapters.filter(posted=False).update(posted=True, published_at=timezone.now())
    work.approval = approval_on_post(work=work, poster=poster)
    work.save(update_fields=["approval"])
    work = work_refresh(work=work)
    notices_for_work(work=work)  # only when staff posted it again themselves
    return work


def audit_staff_edit(*, action: str, work: Work, editor: User, target, **extra) -> None:
    """Administrators may change any work (`user_can_edit_work`); when one changes a work
    that is not theirs, the audit log says so. A creator's own edits are not staff
    actions and are not logged."""
    creators = creator_user_ids(work)
    if editor.pk in creators:
        return
    audit_record(
        action=action,
        actor=editor,
        role="administrator",
        target=target,
        member=User.objects.filter(pk__in=creators[:1]).first(),
        **extra,
    )


@transaction.atomic
def work_delete(*, work: Work, editor: User) -> None:
    """Delete the whole work, every chapter with it."""
    require_editor(work=work, editor=editor)
    audit_staff_edit(action="work.delete", work=work, editor=editor, target=work)
    mark_changed(work_ids=[work.pk])
    work.delete()


def work_refresh(*, work: Work, updated_at=None) -> Work:
    """Recompute what is derived from the chapters and invalidate cached pages."""
    stats = work.chapters.public().aggregate(
        n=Count("pk"), words=Sum("word_count"), first=Min("published_at")
    )
    work.chapter_count = stats["n"] or 0
    work.word_count = stats["words"] or 0
    work.published_at = stats["first"] if work.posted else None
    work.complete = bool(work.expected_chapters and work.chapter_count >= work.expected_chapters)
    if updated_at is not None and work.posted:
        work.updated_at = updated_at
    elif work.updated_at is None and work.posted:
        work.updated_at = work.published_at
    work.save(
        update_fields=[
            "chapter_count",
            "word_count",
            "published_at",
            "complete",
            "updated_at",
        ]
    )
    Work.objects.filter(pk=work.pk).make_pages_stale()
    work.refresh_from_db(fields=["render_version"])
    mark_changed(work_ids=[work.pk])
    return work


# --- chapter text -----------------------------------------------------------------------
# chapter_services uses apply_chapter_fields, require_editor, audit_staff_edit and
# work_refresh: a work's first chapter is written here by work_create, every other one
# there.


def apply_chapter_fields(chapter: Chapter, data: ChapterFields, fmt: str) -> None:
    chapter.title = data.title.strip()
    chapter.summary, chapter.summary_html = (
        data.summary,
        render_text(data.summary, fmt, field="summary"),
    )
    chapter.notes, chapter.notes_html = data.notes, render_text(data.notes, fmt, field="notes")
    chapter.endnotes, chapter.endnotes_html = (
        data.endnotes,
        render_text(data.endnotes, fmt, field="endnotes"),
    )
    chapter.body, chapter.body_html = data.body, render_text(data.body, fmt, field="body")
    chapter.word_count = count_words(chapter.body_html)


# --- co-creators ------------------------------------------------------------------------


@transaction.atomic
def cocreator_invite(*, work: Work, inviter: User, pseud: Pseud) -> Creatorship:
    """Invite another user's pseud; they appear on the work only after accepting.

    A new invitation waits in the invitee's inbox and is mailed to them once this
    transaction commits; inviting the same pseud again changes nothing and mails nobody.
    """
    if not pseud.user.allow_cocreator and pseud.user_id != inviter.pk:
        raise ValidationError(
            gettext("%(name)s does not accept co-creator invitations.") % {"name": pseud.name}
        )
    creatorship, created = Creatorship.objects.get_or_create(
        work=work,
        pseud=pseud,
        defaults={"approved": pseud.user_id == inviter.pk, "invited_by": inviter},
    )
    if created and not creatorship.approved:
        member_notice(
            user_ids=[pseud.user_id],
            template="works/email/cocreator_invitation",
            context={"work": work, "inviter": inviter, "pseud": pseud},
        )
    return creatorship


def _require_invitee(creatorship: Creatorship, user: User) -> None:
    if creatorship.approved or creatorship.pseud.user_id != user.pk:
        raise PermissionDenied(gettext("This invitation is not yours."))


@transaction.atomic
def creatorship_accept(*, creatorship: Creatorship, user: User) -> Creatorship:
    """The invitee accepts: from now on they are credited and may edit the work."""
    _require_invitee(creatorship, user)
    creatorship.approved = True
    creatorship.save(update_fields=["approved"])
    work_refresh(work=creatorship.work)
    return creatorship


@transaction.atomic
def creatorship_decline(*, creatorship: Creatorship, user: User) -> None:
    """The invitee declines: the invitation goes, and the work never names them."""
    _require_invitee(creatorship, user)
    creatorship.delete()
