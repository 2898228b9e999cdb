"""Re-rating and re-tagging requests: staff ask a work's creators to fix its rating or
tags; the work is hidden from readers until a creator next saves it.

The reports app takes these requests from its queue and wants to hear when the creator
has edited (the report goes back in front of staff), but works must not import reports:
it registers a callback here from its AppConfig.ready(), as apps do with the write gate.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from fanfold.accounts.models import User
from fanfold.audit.services import audit_record
from fanfold.moderation.hiding import hidden_fields_set
from fanfold.staff.permissions import require_perm
from fanfold.works import services, staff_services
from fanfold.works.models import RevisionKind, RevisionRequest, Work

RevisionDone = Callable[[RevisionRequest, User], None]

_done_callbacks: list[RevisionDone] = []


def revision_done_register(callback: RevisionDone) -> RevisionDone:
    """Call `callback(request, editor)` inside the transaction of the edit that
    fulfils a request, before the request is deleted."""
    if callback not in _done_callbacks:
        _done_callbacks.append(callback)
    return callback


def open_revision(work: Work) -> RevisionRequest | None:
    return RevisionRequest.objects.filter(work=work).first()


@transaction.atomic
def revision_request(*, work: Work, actor: User, kind: str, reason: str) -> RevisionRequest:
    """Ask the creators to re-rate or re-tag `work`, hiding it until they edit it."""
    require_perm(actor, "hide_content")
    if kind not in RevisionKind.values:
        raise ValidationError({"kind": gettext("Choose a re-rating or a re-tagging.")})
    if not reason.strip():
        raise ValidationError({"reason": gettext("Tell the creators what to change.")})
    work = Work.objects.select_for_update().get(pk=work.pk)
    earlier = open_revision(work)
    was_hidden = work.hidden_by_admin
    if not was_hidden:
        staff_services.work_set_hidden(
            work=work, hidden=True, actor=actor, reason=reason, notify=False
        )
    # A second request while the first still hides the work keeps the first's flag.
    hid = not was_hidden or (earlier is not None and earlier.hid_work)
    request, _ = RevisionRequest.objects.update_or_create(
        work=work,
        defaults={"kind": kind, "reason": reason, "requested_by": actor, "hid_work": hid},
    )
    audit_record(
        action=f"work.require_{kind}",
        actor=actor,
        perm="hide_content",
        target=work,
        reason=reason,
        changes={"hidden_by_admin": [was_hidden, True]},
    )
    return request


@transaction.atomic
def revision_cancel(*, work: Work, actor: User, reason: str = "") -> bool:
    """Staff withdraw a request (an appeal granted): the work shows again if the
    request hid it. Returns whether there was a request."""
    require_perm(actor, "hide_content")
    request = open_revision(work)
    if request is None:
        return False
    if request.hid_work:
        staff_services.work_set_hidden(
            work=work, hidden=False, actor=actor, reason=reason, notify=False
        )
    request.delete()
    audit_record(
        action="work.revision_cancel", actor=actor, perm="hide_content", target=work, reason=reason
    )
    return True


def revision_fulfil(*, work: Work, editor: User) -> bool:
    """A creator saved `work`: a pending request is met, the work shows again if the
    request hid it, and the registered callbacks hear of it. Called by `work_update`
    inside its transaction; staff editing the work do not fulfil it."""
    request = open_revision(work)
    if request is None or not work.creatorships.filter(pseud__user=editor, approved=True).exists():
        return False
    for callback in _done_callbacks:
        callback(request, editor)
    changes: dict = {}
    if request.hid_work:
        # The creator shows the work again by doing what was asked: not a staff action,
        # so not through work_set_hidden (which needs hide_content); audited below.
        changes = hidden_fields_set(work, hidden=False, reason="")
        services.work_refresh(work=work)
    request.delete()
    audit_record(
        action="work.revised",
        actor=editor,
        target=work,
        member=editor,
        note_code=f"revised.{request.kind}",
        changes=changes,
    )
    return True
