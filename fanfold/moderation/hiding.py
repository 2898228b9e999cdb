"""What every staff hide does the same way, whatever is hidden (a work, a chapter, a
comment, a bookmark): the two fields, the audit entry and the notice to the member.
Each owning app's `<thing>_set_hidden` service checks the permission and adds what is
its own (counters, cached pages, the filter index, who the creators are)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from fanfold.accounts.notices import member_notice
from fanfold.audit.services import audit_record, changes_between, snapshot

HIDE_FIELDS = ["hidden_by_admin", "hidden_reason"]
PERM = "hide_content"


def hidden_fields_set(
    obj: Any, *, hidden: bool, reason: str, refresh: Iterable[str] = ()
) -> dict[str, list]:
    """Lock `obj`'s row and set its hidden flag and reason on the caller's instance
    (so the caller is not left holding stale values, which a later full save would
    write back). `refresh` names other fields the caller's bookkeeping reads. Returns
    the changes for the audit entry, empty when nothing changed (and nothing saved)."""
    manager: models.Manager = type(obj)._default_manager
    manager.select_for_update().filter(pk=obj.pk).get()
    obj.refresh_from_db(fields=[*HIDE_FIELDS, *refresh])
    before = snapshot(obj, HIDE_FIELDS)
    obj.hidden_by_admin = hidden
    obj.hidden_reason = reason.strip() if hidden else ""
    changes = changes_between(before, snapshot(obj, HIDE_FIELDS))
    if changes:
        obj.save(update_fields=HIDE_FIELDS)
    return changes


def hiding_recorded(
    obj: Any,
    *,
    kind: str,
    title: str,
    changes: dict[str, list],
    reason: str,
    actor: Any,
    member: Any,
    user_ids: Iterable[int],
    link: str,
    notify: bool,
) -> None:
    """Write the audit entry (`<kind>.hide` or `<kind>.unhide`) and, with `notify`,
    mail `user_ids` what happened and `reason` (why it was hidden, or a note when it is
    shown again). `title` is the work's (or the commented page's) title; a chapter's
    position is read from `obj`. The audit label and the mail are worded from these in
    each reader's language (the mail in whole sentences per kind)."""
    hidden = obj.hidden_by_admin
    values = {"title": title, "position": getattr(obj, "position", "")}
    audit_record(
        action=f"{kind}.hide" if hidden else f"{kind}.unhide",
        actor=actor,
        perm=PERM,
        target=obj,
        label_code=kind,
        message_values=values,
        member=member,
        reason=reason,
        changes=changes,
    )
    if notify:
        member_notice(
            user_ids=user_ids,
            template="accounts/email/content_hidden",
            context={"kind": kind, **values, "hidden": hidden, "reason": reason, "link": link},
        )
