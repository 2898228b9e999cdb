"""Writing the audit trail.

Every staff action and security event calls `audit_record` inside the transaction of
the change it records, so the log and the archive can never disagree: if the change
rolls back, so does its entry.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from fanfold.audit.context import current_ip
from fanfold.audit.messages import LABELS, NOTES, in_english
from fanfold.audit.models import AuditEntry
from fanfold.staff.permissions import role_for

_LABEL_MAX = AuditEntry._meta.get_field("target_label").max_length or 255


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [_json_safe(v) for v in value]
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields` on `obj`, JSON-safe, for a before/after pair."""
    return {name: _json_safe(getattr(obj, name)) for name in fields}


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list]:
    """`{field: [before, after]}` for the fields whose value differs."""
    changed: dict[str, list] = {}
    for name in dict.fromkeys([*before, *after]):
        old, new = _json_safe(before.get(name)), _json_safe(after.get(name))
        if old != new:
            changed[name] = [old, new]
    return changed


def audit_record(
    *,
    action: str,
    actor: Any = None,
    perm: str = "",
    role: str = "",
    target: models.Model | None = None,
    target_type: str = "",
    target_id: Any = "",
    target_label: str = "",
    member: Any = None,
    reason: str = "",
    changes: Mapping[str, Any] | None = None,
    ip: str | None = None,
    label_code: str = "",
    note_code: str = "",
    message_values: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Record one action. Call it inside the service's own transaction.

    `action` is a dotted name (`work.hide`, `role.grant`, `login.failed`); `perm` is the
    staff permission the action needed, from which the role acted in is named (or pass
    `role`). `target` (any model instance) fills type, id and label, which can also be
    given by hand for things that are not rows. `member` is the member the action
    concerns (the author of a hidden work, the suspended member). The client address
    comes from the current request unless `ip` is given.

    A label or reason the site writes itself is given as `label_code` / `note_code`
    (keys of `fanfold.audit.messages`) with `message_values`, so the log shows it in
    each reader's language; its English wording is stored in `target_label` / `reason`.
    """
    values = _json_safe(dict(message_values or {}))
    if label_code:
        target_label = in_english(LABELS, label_code, values) or target_label
    if note_code:
        reason = in_english(NOTES, note_code, values) or reason
    if target is not None:
        target_type = target_type or target._meta.model_name or ""
        target_id = target.pk
        target_label = target_label or str(target)
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    if actor is not None and not role:
        role = role_for(actor, perm)
    with transaction.atomic():
        return AuditEntry.objects.create(
            actor=actor,
            actor_name=actor.get_username() if actor is not None else "",
            role=role,
            action=action,
            target_type=target_type,
            target_id="" if target_id in (None, "") else str(target_id),
            target_label=target_label[:_LABEL_MAX],
            member=member,
            member_name=member.get_username() if member is not None else "",
            reason=reason,
            changes=_json_safe(dict(changes or {})),
            ip=ip or current_ip(),
            label_code=label_code,
            note_code=note_code,
            message_values=values,
        )
