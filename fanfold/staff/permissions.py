"""The one place staff permissions are checked, for views and services alike.

Views use `staff_required("perm")`, which gives outsiders a clean answer (log in, or 403)
before any form is read; services call `require_perm(user, "perm")` again, so the API,
commands and admin actions cannot skip the check. Object-level rules (a wrangler's
fandoms) are functions here too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from fanfold.staff.models import WranglerAssignment
from fanfold.staff.roles import PERMISSIONS, ROLE_ORDER, ROLE_PERMISSIONS, Role

if TYPE_CHECKING:  # django-stubs is a lint dependency only
    from django_stubs_ext import StrOrPromise
from fanfold.tags.models import TagType


def _check_known(perm: str) -> None:
    # A typo in a codename would otherwise quietly refuse everyone (or, negated, allow).
    if perm not in PERMISSIONS:
        raise ValueError(f"Unknown staff permission {perm!r}.")


def has_perm(user: Any, perm: str) -> bool:
    """Whether `user` (a member, or AnonymousUser/None) holds staff permission `perm`."""
    _check_known(perm)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.has_perm(f"staff.{perm}"))


def require_perm(user: Any, perm: str, message: StrOrPromise = "") -> None:
    """Raise PermissionDenied unless `user` holds `perm`."""
    if not has_perm(user, perm):
        raise PermissionDenied(message or _("You don't have permission to do that."))


def staff_required(perm: str) -> Callable:
    """View decorator: guests are sent to log in, members without `perm` get a 403."""
    _check_known(perm)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_perm(request.user, perm)
            return view(request, *args, **kwargs)

        wrapped.staff_permission = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator


def roles_of(user: Any) -> set[Role]:
    """The roles `user` holds (cached on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_staff_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        cached = {Role(name) for name in names}
        user._staff_roles = cached
    return set(cached)


def is_administrator(user: Any) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser) or Role.ADMINISTRATOR in roles_of(user)


def role_for(user: Any, perm: str = "") -> str:
    """The role an action under `perm` was taken in, for the audit log: the narrowest
    role the user holds that grants it ("administrator" for superusers without one)."""
    held = roles_of(user)
    for role in ROLE_ORDER:
        if role in held and (not perm or perm in ROLE_PERMISSIONS[role]):
            return role.value
    if user is not None and getattr(user, "is_superuser", False):
        return Role.ADMINISTRATOR.value
    return ""


def tag_fandom_ids(tag: Any) -> set[int]:
    """The fandoms a tag belongs to, for wrangling rights: a fandom is its own; a
    synonym counts as its canonical tag; other tags belong to their fandom parents."""
    if tag.merger_id:
        tag = tag.merger
    if tag.type == TagType.FANDOM:
        return {tag.pk}
    return set(tag.parents.filter(type=TagType.FANDOM).values_list("pk", flat=True))


def can_wrangle(user: Any, tag: Any) -> bool:
    """Wranglers work on tags of the fandoms assigned to them and on the unassigned pool
    (a tag with no fandom yet, or whose fandom nobody holds); administrators on all."""
    if not has_perm(user, "wrangle_tags"):
        return False
    if is_administrator(user):
        return True
    fandoms = tag_fandom_ids(tag)
    if not fandoms:
        return True
    held = WranglerAssignment.objects.filter(fandom_id__in=fandoms).values_list(
        "fandom_id", "wrangler_id"
    )
    assigned = {fandom for fandom, _ in held}
    mine = {fandom for fandom, wrangler in held if wrangler == user.pk}
    return bool(mine) or bool(fandoms - assigned)


def require_wrangle(user: Any, tag: Any) -> None:
    if not can_wrangle(user, tag):
        raise PermissionDenied(
            _("“{tag}” belongs to a fandom another wrangler holds.").format(tag=tag.name)
        )
