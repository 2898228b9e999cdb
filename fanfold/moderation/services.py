"""The moderators' decisions on works waiting in the queue.

A work reaches the queue when it is posted while the site setting "new works need
approval" is on (`works.services.approval_on_post`), or when an importer creates it with
`approval=pending` (eFiction's unvalidated stories). Visibility itself is the one rule in
`works.querysets`; these services only change `Work.approval` and what follows from it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from fanfold.accounts.models import User
from fanfold.archive.background import enqueue_on_commit
from fanfold.audit.services import audit_record
from fanfold.staff.permissions import require_perm
from fanfold.subscriptions.services import notices_for_work
from fanfold.works.models import Approval, Work
from fanfold.works.services import work_refresh

MESSAGE_MAX = 5000


def _check(*, work: Work, moderator: User, message: str, allowed: set[str]) -> None:
    require_perm(moderator, "approve_works", _("Only moderators can approve or reject works."))
    if len(message) > MESSAGE_MAX:
        raise ValidationError(
            {
                "message": [
                    _("The message can be at most {most} characters.").format(
                        most=number_format(MESSAGE_MAX, force_grouping=True)
                    )
                ]
            }
        )
    if not work.posted or work.approval not in allowed:
        raise ValidationError(
            _("“{title}” is no longer waiting ({state}).").format(
                title=work.title, state=work.get_approval_display().lower()
            )
        )


@transaction.atomic
def work_hold(*, work: Work) -> Work:
    """Put a posted work in the queue without asking anyone: for importers bringing over
    stories the old archive had not validated. Readers stop seeing it at once (page
    caches and every process's filter index follow); nobody is e-mailed."""
    work.approval = Approval.PENDING
    work.save(update_fields=["approval"])
    return work_refresh(work=work)


@transaction.atomic
def work_approve(*, work: Work, moderator: User, message: str = "", now=None) -> Work:
    """Let a waiting (or earlier rejected) work out to readers and tell its creators.

    Dates the work already has are kept: an imported work shows when it was first
    published on the old archive, not when it was approved. Subscribers are told as if
    it had just been posted (their notices were held back while it waited).
    """
    work = Work.objects.select_for_update().get(pk=work.pk)
    _check(
        work=work,
        moderator=moderator,
        message=message,
        allowed={Approval.PENDING, Approval.REJECTED},
    )
    now = now or timezone.now()
    _audit(work, moderator, Approval.APPROVED, message)
    # Chapters posted without a date (an importer's) get the approval time.
    work.chapters.filter(posted=True, published_at__isnull=True).update(published_at=now)
    work.approval = Approval.APPROVED
    work.approval_message = message.strip()
    work.save(update_fields=["approval", "approval_message"])
    # Recomputes published_at from the chapters, sets updated_at only when empty, bumps
    # the page-cache version and logs the change for every process's filter index.
    work = work_refresh(work=work)
    notices_for_work(work=work)
    _tell_creators(work)
    return work


@transaction.atomic
def work_reject(*, work: Work, moderator: User, message: str = "") -> Work:
    """Keep a waiting work from readers; its creators see `message` and may edit the
    work and post it again, which puts it back in the queue."""
    work = Work.objects.select_for_update().get(pk=work.pk)
    _check(work=work, moderator=moderator, message=message, allowed={Approval.PENDING})
    _audit(work, moderator, Approval.REJECTED, message)
    work.approval = Approval.REJECTED
    work.approval_message = message.strip()
    work.save(update_fields=["approval", "approval_message"])
    work = work_refresh(work=work)
    _tell_creators(work)
    return work


def _audit(work: Work, moderator: User, approval: str, message: str) -> None:
    # The audit log is where the approving (or rejecting) moderator of a work is kept.
    audit_record(
        action=f"work.{'approve' if approval == Approval.APPROVED else 'reject'}",
        actor=moderator,
        perm="approve_works",
        target=work,
        reason=message.strip(),
        changes={"approval": [work.approval, approval]},
    )


def _tell_creators(work: Work) -> None:
    from fanfold.moderation.tasks import send_decision_emails

    enqueue_on_commit(send_decision_emails, work.pk)
