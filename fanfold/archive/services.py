"""Staff writes to the site settings. Each change is checked against the actor's
permissions and written to the audit log, with the fields before and after, in the same
transaction as the change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from fanfold.accounts.models import User
from fanfold.archive.models import LOCKDOWN_FIELDS, SiteSettings
from fanfold.audit.services import audit_record, changes_between, snapshot
from fanfold.staff.permissions import require_perm


def _editable(name: str) -> bool:
    field = SiteSettings._meta.get_field(name)
    return bool(getattr(field, "editable", False)) and name not in ("id", "version")


def _apply(*, actor: User, values: Mapping[str, Any], action: str, perm: str, reason: str):
    unknown = [name for name in values if not _editable(name) or name.endswith("_html")]
    if unknown:
        raise ValueError(f"Not site settings: {', '.join(unknown)}")
    site = SiteSettings.objects.select_for_update().get_or_create(pk=1)[0]
    before = snapshot(site, values)
    if any(before[name] != values[name] for name in LOCKDOWN_FIELDS if name in values):
        # The settings page shows the switches too; flipping them needs `lockdown` there
        # as well, so the two pages can never disagree about who may.
        require_perm(actor, "lockdown", "You can't change the lockdown.")
    for name, value in values.items():
        setattr(site, name, value)
    site.full_clean()
    changes = changes_between(before, snapshot(site, values))
    if not changes:
        return site
    site.save()
    audit_record(action=action, actor=actor, perm=perm, target=site, reason=reason, changes=changes)
    return site


@transaction.atomic
def site_settings_update(
    *, actor: User, values: Mapping[str, Any], reason: str = ""
) -> SiteSettings:
    """Change any of the site settings (the lockdown switches also need `lockdown`)."""
    require_perm(actor, "manage_settings", "Only administrators can change the site settings.")
    return _apply(
        actor=actor, values=values, action="settings.change", perm="manage_settings", reason=reason
    )


@transaction.atomic
def lockdown_set(
    *, actor: User, guests_paused: bool, read_only: bool, reason: str = ""
) -> SiteSettings:
    """Flip the lockdown switches (a spam wave; maintenance)."""
    require_perm(actor, "lockdown", "You can't change the lockdown.")
    values = {"guests_paused": guests_paused, "read_only": read_only}
    return _apply(
        actor=actor, values=values, action="lockdown.change", perm="lockdown", reason=reason
    )
