"""Writes for works and chapters. Views, importers, the admin and the demo loader all
come through here, so validation, derived fields and permissions behave the same."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from fanfold.accounts.models import Pseud, User
from fanfold.accounts.notices import member_notice
from fanfold.archive.models import SiteSettings
from fanfold.audit.services import audit_record
from fanfold.filters.services import mark_changed
from fanfold.markup import render_text
from fanfold.moderation.hiding import PERM as HIDE_PERM
from fanfold.moderation.hiding import hidden_fields_set, hiding_recorded
from fanfold.staff.permissions import has_perm, require_perm
from fanfold.subscriptions.services import notices_for_chapter, notices_for_work
from fanfold.tags.models import Tag, TagType
from fanfold.tags.services import tags_find_or_create
from fanfold.works.limits import CHAPTER_MAX, NOTES_MAX, SUMMARY_MAX, TITLE_MAX
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


@dataclass
class WorkFields:
    """What an author fills in for a work (the first chapter comes separately)."""

    title: str
    rating: Tag | None
    warnings: list[Tag]
    fandoms: list[str]
    categories: list[Tag] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    text_format: str = "html"
    language: str = "en"
    expected_chapters: int | None = None
    restricted: bool = False
    comment_permission: str = "everyone"
    moderated_comments: bool = False
    series_title: str = ""
    # Someone else's (open or moderated) series, or one of the author's own, by id.
    series_id: int | None = None
    challenge_id: int | None = None


@dataclass
class ChapterFields:
    body: str
    title: str = ""
    summary: str = ""
    notes: str = ""
    endnotes: str = ""


# --- validation ------------------------------------------------------------------------


def _check_length(errors: dict, name: str, value: str, limit: int, label: str) -> None:
    if len(value) > limit:
        # Translators: %(field)s is a field's name as in "The title" or "Chapter notes".
        message = ngettext(
            "%(field)s can be at most %(limit)s character (it has %(count)s).",
            "%(field)s can be at most %(limit)s characters (it has %(count)s).",
            limit,
        )
        errors.setdefault(name, []).append(
            message % {"field": label, "limit": f"{limit:,}", "count": f"{len(value):,}"}
        )


def validate_work_fields(data: WorkFields) -> None:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [gettext("Every work needs a title.")]
    _check_length(errors, "title", data.title, TITLE_MAX, gettext("The title"))
    _check_length(errors, "summary", data.summary, SUMMARY_MAX, gettext("The summary"))
    _check_length(errors, "notes", data.notes, NOTES_MAX, gettext("Notes"))
    _check_length(errors, "endnotes", data.endnotes, NOTES_MAX, gettext("End notes"))
    if data.rating is None or data.rating.type != TagType.RATING:
        errors["rating"] = [gettext("Choose exactly one rating.")]
    if not data.warnings or any(t.type != TagType.WARNING for t in data.warnings):
        errors["warnings"] = [gettext("Choose at least one archive warning.")]
    if not [n for n in data.fandoms if n.strip()]:
        errors["fandoms"] = [gettext("Name at least one fandom.")]
    if data.expected_chapters is not None and data.expected_chapters < 1:
        errors["expected_chapters"] = [
            gettext("Expected chapters must be at least 1, or left empty.")
        ]
    if errors:
        raise ValidationError(errors)


def validate_chapter_fields(data: ChapterFields) -> None:
    errors: dict[str, list[str]] = {}
    if not data.body.strip():
        errors["body"] = [gettext("A chapter needs some text.")]
    _check_length(errors, "body", data.body, CHAPTER_MAX, gettext("Chapter text"))
    _check_length(errors, "title", data.title, TITLE_MAX, gettext("The chapter title"))
    _check_length(errors, "summary", data.summary, SUMMARY_MAX, gettext("The chapter summary"))
    _check_length(errors, "notes", data.notes, NOTES_MAX, gettext("Chapter notes"))
    _check_length(errors, "endnotes", data.endnotes, NOTES_MAX, gettext("Chapter end notes"))
    if errors:
        raise ValidationError(errors)


def _require_editor(*, work: Work, editor: User) -> None:
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
    _apply_chapter_fields(first, chapter, data.text_format)
    first.save()
    if post:
        _post_work(work, poster=creator, now=now)
    else:
        work_refresh(work=work)
    return work


@transaction.atomic
def work_update(*, work: Work, editor: User, data: WorkFields) -> Work:
    _require_editor(work=work, editor=editor)
    validate_work_fields(data)
    _apply_work_fields(work, data)
    work.save()
    _set_work_tags(work, data)
    _set_series(work, data, editor)
    work_refresh(work=work)
    # A cycle: revisions uses this module's work_set_hidden.
    from fanfold.works.revisions import revision_fulfil

    revision_fulfil(work=work, editor=editor)
    return work


@transaction.atomic
def work_post(*, work: Work, editor: User, now=None) -> Work:
    """Post a draft work: it and its draft chapters become visible (or go to the
    moderation queue). Posting a rejected work again sends it back to the queue."""
    _require_editor(work=work, editor=editor)
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


def _audit_staff_edit(*, action: str, work: Work, editor: User, target, **extra) -> None:
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
    _require_editor(work=work, editor=editor)
    _audit_staff_edit(action="work.delete", work=work, editor=editor, target=work)
    mark_changed(work_ids=[work.pk])
    work.delete()


@transaction.atomic
def work_set_hidden(
    *, work: Work, hidden: bool, actor: User, reason: str = "", notify: bool = True
) -> Work:
    """Staff hide a work from everyone but its creators and staff (or show it again).
    The creators are mailed `reason`, which they also see on the work's page.
    `notify=False` leaves the mail to the caller (a ban, a clean-up, a report action).
    """
    require_perm(actor, HIDE_PERM)
    changes = hidden_fields_set(work, hidden=hidden, reason=reason)
    if changes:
        _hiding_recorded(work, work, "work", changes, reason, actor, notify)
    return work_refresh(work=work)


@transaction.atomic
def chapter_set_hidden(
    *, chapter: Chapter, hidden: bool, actor: User, reason: str = "", notify: bool = True
) -> Chapter:
    """Staff hide one chapter: readers lose it from the pages, the navigation and the
    work's chapter and word counts; its creators (who see `reason`) and staff keep it."""
    require_perm(actor, HIDE_PERM)
    changes = hidden_fields_set(chapter, hidden=hidden, reason=reason)
    work = chapter.work
    if changes:
        _hiding_recorded(chapter, work, "chapter", changes, reason, actor, notify)
    work_refresh(work=work)
    return chapter


def _hide(obj: Work | Chapter, hidden: bool, reason: str) -> dict[str, list]:
    # Kept for works.revisions (reports branch), which shows a re-rated work again
    # without a staff action; new code calls moderation.hiding.hidden_fields_set.
    return hidden_fields_set(obj, hidden=hidden, reason=reason)


def _hiding_recorded(
    obj: Work | Chapter,
    work: Work,
    kind: str,
    changes: dict,
    reason: str,
    actor: User,
    notify: bool,
) -> None:
    creators = creator_user_ids(work)
    hiding_recorded(
        obj,
        kind=kind,
        title=work.title,
        changes=changes,
        reason=reason,
        actor=actor,
        # The audit entry names one member; co-creators are mailed all the same.
        member=User.objects.filter(pk__in=creators[:1]).first(),
        user_ids=creators,
        link=obj.get_absolute_url(),
        notify=notify,
    )


@transaction.atomic
def work_set_featured(*, work: Work, featured: bool, editor: User) -> Work:
    """Staff feature a work on the home page (or stop featuring it)."""
    require_perm(editor, "feature_works", gettext("Only moderators can feature works."))
    if work.featured != featured:
        audit_record(
            action="work.feature" if featured else "work.unfeature",
            actor=editor,
            perm="feature_works",
            target=work,
            changes={"featured": [work.featured, featured]},
        )
    work.featured = featured
    work.save(update_fields=["featured"])
    return work_refresh(work=work)


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


# --- chapters ---------------------------------------------------------------------------


def _apply_chapter_fields(chapter: Chapter, data: ChapterFields, fmt: str) -> None:
    from fanfold.markup import count_words

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


FUTURE_DATE = gettext_lazy(
    "The posting date cannot be in the future: this archive has no scheduled posting. "
    "Leave it empty to post now, or choose today or an earlier day."
)


def validate_posting_date(value: datetime.date | None, *, today: datetime.date) -> None:
    if value is not None and value > today:
        raise ValidationError({"posted_on": [FUTURE_DATE]}, code="future")


def posting_moment(value: datetime.date | None, *, now: datetime.datetime) -> datetime.datetime:
    """When a chapter posted now on the day `value` counts as posted: now for today (or
    no date), midday of an earlier day (midday, so the day reads the same in any zone)."""
    if value is None or value >= timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time(12)))


@transaction.atomic
def chapter_add(
    *,
    work: Work,
    editor: User,
    data: ChapterFields,
    post: bool,
    now=None,
    before: Chapter | None = None,
    posted_on: datetime.date | None = None,
) -> Chapter:
    """Add a chapter at the end, or in front of `before` (the chapters from there on
    move down one place). Posting it to a posted work updates the work's date;
    `posted_on` backdates it (a future day is refused: there is no scheduled posting).
    """
    _require_editor(work=work, editor=editor)
    validate_chapter_fields(data)
    now = now or timezone.now()
    validate_posting_date(posted_on, today=timezone.localdate(now))
    # Locks the work's row: two chapters added at once must not take the same place.
    Work.objects.select_for_update().filter(pk=work.pk).first()
    if before is not None and before.work_id != work.pk:
        raise ValidationError({"before": [gettext("That chapter is not part of this work.")]})
    if before is None:
        position = (work.chapters.aggregate(m=Max("position"))["m"] or 0) + 1
    else:
        position = before.position
        work.chapters.filter(position__gte=position).update(position=F("position") + 1)
    chapter = Chapter(work=work, position=position)
    _apply_chapter_fields(chapter, data, work.text_format)
    publish = post and work.posted
    chapter.posted = publish
    moment = posting_moment(posted_on, now=now) if publish else None
    chapter.published_at = moment
    chapter.save()
    # A backdated chapter does not make the work look freshly updated.
    fresher = moment is not None and (work.updated_at is None or moment > work.updated_at)
    work_refresh(work=work, updated_at=moment if fresher else None)
    if publish:
        notices_for_chapter(chapter=chapter)
    return chapter


@transaction.atomic
def chapter_update(*, chapter: Chapter, editor: User, data: ChapterFields) -> Chapter:
    _require_editor(work=chapter.work, editor=editor)
    validate_chapter_fields(data)
    _apply_chapter_fields(chapter, data, chapter.work.text_format)
    chapter.save()
    work_refresh(work=chapter.work)
    return chapter


@transaction.atomic
def chapter_post(*, chapter: Chapter, editor: User, now=None) -> Chapter:
    _require_editor(work=chapter.work, editor=editor)
    if not chapter.work.posted:
        raise ValidationError(
            gettext("Post the work first; its draft chapters are posted with it.")
        )
    now = now or timezone.now()
    chapter.posted, chapter.published_at = True, now
    chapter.save(update_fields=["posted", "published_at"])
    work_refresh(work=chapter.work, updated_at=now)
    notices_for_chapter(chapter=chapter)
    return chapter


ONLY_CHAPTER = gettext_lazy(
    "This is the work's only chapter, and a work needs at least one: to remove it, "
    "delete the whole work instead."
)


@transaction.atomic
def chapter_delete(*, chapter: Chapter, editor: User) -> None:
    """Delete one chapter; the ones after it move up. A work's only chapter is refused:
    deleting the work is its own, separately confirmed action."""
    work = chapter.work
    _require_editor(work=work, editor=editor)
    # Locks the work's row: two editors deleting its last two chapters at once would
    # both see two chapters otherwise.
    Work.objects.select_for_update().filter(pk=work.pk).first()
    if work.chapters.count() <= 1:
        raise ValidationError(ONLY_CHAPTER, code="only_chapter")
    _audit_staff_edit(
        action="chapter.delete",
        work=work,
        editor=editor,
        target=chapter,
        label_code="chapter",
        message_values={"position": chapter.position, "title": work.title},
    )
    chapter.delete()
    _renumber(work, list(work.chapters.order_by("position").values_list("pk", flat=True)))
    work_refresh(work=work)


@transaction.atomic
def chapters_reorder(*, work: Work, editor: User, order: list[int]) -> None:
    """Put the work's chapters in the order of the chapter ids given."""
    _require_editor(work=work, editor=editor)
    Work.objects.select_for_update().filter(pk=work.pk).first()  # one reorder at a time
    current = set(work.chapters.values_list("pk", flat=True))
    if set(order) != current or len(order) != len(current):
        raise ValidationError(gettext("The new order must list every chapter of this work once."))
    _audit_staff_edit(
        action="chapters.reorder", work=work, editor=editor, target=work, changes={"order": order}
    )
    _renumber(work, order)
    work_refresh(work=work)


def _renumber(work: Work, order: list[int]) -> None:
    chapters = {c.pk: c for c in work.chapters.all()}
    for position, pk in enumerate(order, start=1):
        chapters[pk].position = position
    Chapter.objects.bulk_update(chapters.values(), ["position"])


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
