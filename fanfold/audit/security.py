"""Security events for the audit log: staff logins and failed logins.

Django announces both through its auth signals wherever a login happens (the login page,
the admin, tests' `client.login`), so listening there catches every path without each
login view having to remember.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from fanfold.audit.context import client_ip
from fanfold.audit.services import audit_record

_NAME_MAX = 60


def record_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Members' logins are routine; staff logins are what an investigation needs.
    if not user.is_staff:
        return
    audit_record(
        action="login.staff",
        actor=user,
        target=user,
        member=user,
        ip=client_ip(request) if request is not None else None,
    )


def record_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any):
    """A wrong password (or unknown name), logged per account name."""
    name = str(credentials.get("username") or "")[:_NAME_MAX]
    if not name:
        return
    member = get_user_model().objects.filter(username__iexact=name).first()
    audit_record(
        action="login.failed",
        target_type="user",
        target_id=member.pk if member is not None else "",
        target_label=name,
        member=member,
        ip=client_ip(request) if request is not None else None,
    )
