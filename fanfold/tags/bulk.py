"""Wrangling many tags at once from the wrangling page: make canonical, merge into one
canonical tag, or add parents, to every selected tag.

Each tag goes through the same service as a single action (fanfold.tags.services), so
the rules, the wrangler's fandom rights and the audit records are those of one action
per tag; the whole batch is one transaction, so a refusal on any tag leaves every tag as
it was and names the tag that stopped it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fanfold.staff.permissions import require_perm
from fanfold.tags import services
from fanfold.tags.models import Tag

BULK_ACTIONS = ("canonical", "merge", "parents")
BULK_MAX = 200  # more than a page of the queue (50) shows; bounds one transaction


@transaction.atomic
def tags_bulk_wrangle(
    *,
    user,
    tag_ids: Iterable[int],
    action: str,
    into: Tag | None = None,
    parents: Sequence[Tag] = (),
) -> str:
    """Apply `action` to every tag in `tag_ids` and say what was done. Raises
    ValidationError (nothing changed) for a bad request or a tag a rule refuses, and
    PermissionDenied for someone who may not wrangle, or a tag in another wrangler's
    fandom."""
    require_perm(user, "wrangle_tags", _("Only tag wranglers can wrangle tags."))
    ids = list(dict.fromkeys(tag_ids))
    if not ids:
        raise ValidationError(_("Select at least one tag."))
    if len(ids) > BULK_MAX:
        raise ValidationError(_("Select at most %(max)d tags at once.") % {"max": BULK_MAX})
    if action not in BULK_ACTIONS:
        raise ValidationError(_("Unknown action."))
    if action == "merge" and into is None:
        raise ValidationError(_("Name the canonical tag to merge them into."))
    if action == "parents" and not parents:
        raise ValidationError(_("Name at least one parent tag."))
    tags = list(Tag.objects.filter(pk__in=ids).order_by("key"))
    if len(tags) != len(ids):
        raise ValidationError(_("Some of those tags no longer exist."))
    for tag in tags:
        _apply(user, tag, action, into, parents)
    return _done(action, len(tags), into)


def _apply(user, tag: Tag, action: str, into: Tag | None, parents: Sequence[Tag]) -> None:
    try:
        if action == "canonical":
            services.tag_make_canonical(user=user, tag=tag)
        elif action == "merge" and into is not None:
            if tag.pk != into.pk:  # the target may be among the selected: it stays
                services.tag_merge(user=user, tag=tag, into=into)
        else:
            services.tag_set_parents(user=user, tag=tag, add=parents)
    except ValidationError as exc:
        # Which of the selected tags stopped the batch, in the single action's words.
        raise ValidationError(
            _("Nothing was changed: %(reason)s") % {"reason": " ".join(exc.messages)}
        ) from exc
    except PermissionDenied as exc:
        raise PermissionDenied(_("Nothing was changed: %(reason)s") % {"reason": exc}) from exc


def _done(action: str, count: int, into: Tag | None) -> str:
    if action == "canonical":
        text = ngettext("%(n)d tag is canonical.", "%(n)d tags are canonical.", count)
        return text % {"n": count}
    if action == "merge" and into is not None:
        text = ngettext(
            "%(n)d tag merged into “%(into)s”.", "%(n)d tags merged into “%(into)s”.", count
        )
        return text % {"n": count, "into": into.name}
    text = ngettext("Parents added to %(n)d tag.", "Parents added to %(n)d tags.", count)
    return text % {"n": count}
