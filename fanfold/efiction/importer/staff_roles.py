"""eFiction's admin levels and category rights as Fanfold staff roles.

eFiction 3.5 gives admins a level (1 = the site's administrator; 2 = archive structure
and members; 3 = validation, news and featuring; 4 = a title without powers) and may
limit an admin to some categories. Here each level becomes the roles that do that work,
and a level-2 admin's categories become the fandoms they wrangle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from fanfold.accounts.models import User
from fanfold.audit.models import AuditEntry
from fanfold.efiction.importer.convert import as_int, id_list
from fanfold.efiction.report import Report
from fanfold.efiction.source.base import Row
from fanfold.staff.roles import Role
from fanfold.staff.services import member_roles_set, wrangler_assign
from fanfold.tags.models import Tag, TagType

LEVEL_ROLES: dict[int, tuple[Role, ...]] = {
    1: (Role.ADMINISTRATOR,),
    2: (Role.MODERATOR, Role.WRANGLER),
    3: (Role.MODERATOR,),
    4: (Role.SUPPORT,),
}


def import_staff_roles(
    *,
    prefs: Iterable[Row],
    user_pk: Mapping[int, int],
    category_tag: Mapping[int, int],
    report: Report,
) -> None:
    """Give imported admins their roles. A member whose roles were ever set before (by
    an earlier run or by staff in Fanfold, both in the audit log) is left as they are,
    so a re-run never undoes a role change made here since."""
    levels: dict[int, tuple[int, list[int]]] = {}
    for row in prefs:
        uid, level = as_int(row.values.get("uid")), as_int(row.values.get("level"))
        if level in LEVEL_ROLES and uid in user_pk:
            levels[user_pk[uid]] = (level, id_list(row.values.get("categories")))
    already = set(
        AuditEntry.objects.filter(action="role.change", member_id__in=list(levels)).values_list(
            "member_id", flat=True
        )
    )
    limited = 0
    for member in User.objects.filter(pk__in=[pk for pk in levels if pk not in already]):
        level, categories = levels[member.pk]
        member_roles_set(
            actor=None,
            member=member,
            roles=LEVEL_ROLES[level],
            reason=f"eFiction admin level {level}",
        )
        report.imported["staff roles"] += 1
        categories = [c for c in categories if c > 0]
        if not categories:
            continue  # "0" or nothing: every category
        if Role.WRANGLER in LEVEL_ROLES[level]:
            _assign_fandoms(member, categories, category_tag, report)
        else:
            limited += 1
    if limited:
        report.note(
            f"{limited} eFiction admin(s) of level 3 were limited to some categories; "
            "Fanfold's moderators see the whole approval queue."
        )


def _assign_fandoms(
    member: User, categories: list[int], category_tag: Mapping[int, int], report: Report
) -> None:
    tag_pks = [category_tag[c] for c in categories if c in category_tag]
    for fandom in Tag.objects.filter(pk__in=tag_pks, type=TagType.FANDOM, merger__isnull=True):
        wrangler_assign(actor=None, wrangler=member, fandom=fandom)
        report.imported["wrangler fandoms"] += 1
