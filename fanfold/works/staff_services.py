"""What staff do to a work beyond its creators' own edits: hide it or one of its chapters
from readers (with the reason its creators are told), and feature it on the home page.
Each action checks a staff permission and writes the audit log, unlike the creators'
writes in `services`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from fanfold.accounts.models import User
from fanfold.audit.services import audit_record
from fanfold.moderation.hiding import PERM as HIDE_PERM
from fanfold.moderation.hiding import hidden_fields_set, hiding_recorded
from fanfold.staff.permissions import require_perm
from fanfold.works.models import Chapter, Work
from fanfold.works.selectors import creator_user_ids
from fanfold.works.services import work_refresh


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
