"""Writes for the filter engine: the change log every index follows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext

from fanfold.filters.models import FilterChange


@transaction.atomic
def mark_changed(
    *, work_ids: Iterable[int] = (), tag_ids: Iterable[int] = (), text: bool = True
) -> None:
    """Record that these works (or tags) changed in a way filtering can see.

    Call it inside the transaction of the write itself: if the write rolls back, so does
    the log row, and no index ever sees a change that did not happen. Indexes reload a
    changed work from the database, so the row only has to name it.

    `text=False` skips rewriting the works' search documents: for counters (hits,
    kudos, comments, bookmarks) that sort and filter but are not searched.
    """
    rows = [FilterChange(work_id=pk) for pk in dict.fromkeys(work_ids)]
    rows += [FilterChange(tag_id=pk) for pk in dict.fromkeys(tag_ids)]
    if rows:
        FilterChange.objects.bulk_create(rows)
    work_list = [r.work_id for r in rows if r.work_id is not None]
    if work_list and text:
        from fanfold.filters.search import search_documents_update

        search_documents_update(work_ids=work_list)


def filter_index_rebuild_all() -> None:
    """Ask every process's index to rebuild from scratch at its next query (after a
    bulk import or a restore that bypassed the services)."""
    FilterChange.objects.create()


def filter_changes_prune(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Drop log rows every running index has long since read; returns how many."""
    cutoff = timezone.now() - older_than
    # Keep the newest row whatever its age, so the id sequence never looks reset.
    newest = FilterChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    deleted, _ = FilterChange.objects.filter(created_at__lt=cutoff).exclude(id=newest).delete()
    return deleted


# --- readers' saved filters and standing exclusions --------------------------------------

SAVED_FILTERS_MAX = 100
STANDING_MAX = 500


def is_local_path(path: str) -> bool:
    """A path on this site (not `//host` or `/\\host`, which browsers treat as hosts)."""
    return (
        path.startswith("/")
        and not path.startswith(("//", "/\\"))
        and len(path) <= 500
        and url_has_allowed_host_and_scheme(path, allowed_hosts=None)
    )


@transaction.atomic
def saved_filter_create(*, user, name: str, path: str, query: str):
    """Save (or overwrite, by name) a filtered listing's address for `user`."""
    from django.core.exceptions import ValidationError

    from fanfold.filters.models import SavedFilter

    name = " ".join(name.split())
    if not name:
        raise ValidationError(gettext("Give the filter a name."))
    if len(name) > 100:
        raise ValidationError(gettext("Names can be at most %(max)s characters.") % {"max": 100})
    # Only local listing paths: a saved filter must never become an open redirect.
    if not is_local_path(path):
        raise ValidationError(gettext("That is not a listing on this archive."))
    existing = SavedFilter.objects.filter(user=user, name__iexact=name).first()
    if existing is None and SavedFilter.objects.filter(user=user).count() >= SAVED_FILTERS_MAX:
        raise ValidationError(
            ngettext(
                "You can keep at most %(max)s saved filter.",
                "You can keep at most %(max)s saved filters.",
                SAVED_FILTERS_MAX,
            )
            % {"max": SAVED_FILTERS_MAX}
        )
    if existing is not None:
        existing.path, existing.query = path, query
        existing.save(update_fields=["path", "query"])
        return existing
    return SavedFilter.objects.create(user=user, name=name, path=path, query=query)


@transaction.atomic
def saved_filter_delete(*, user, saved_filter_id: int) -> None:
    from fanfold.filters.models import SavedFilter

    SavedFilter.objects.filter(user=user, pk=saved_filter_id).delete()


@transaction.atomic
def standing_exclusion_add(*, user, tag_name: str):
    """Never show `user` works with this tag (through its synonyms and subtags)."""
    from django.core.exceptions import ValidationError

    from fanfold.filters.models import StandingExclusion
    from fanfold.tags.models import tag_key
    from fanfold.tags.selectors import tags_visible_to

    # Only a tag the member may know of: any other answers as a missing one.
    tag = tags_visible_to(user).filter(key=tag_key(tag_name)).select_related("merger").first()
    if tag is None:
        raise ValidationError(
            gettext("No tag is called “%(name)s”.") % {"name": " ".join(tag_name.split())}
        )
    tag = tag.merger or tag
    if StandingExclusion.objects.filter(user=user).count() >= STANDING_MAX:
        raise ValidationError(
            ngettext(
                "You can always-exclude at most %(max)s tag.",
                "You can always-exclude at most %(max)s tags.",
                STANDING_MAX,
            )
            % {"max": STANDING_MAX}
        )
    exclusion, _ = StandingExclusion.objects.get_or_create(user=user, tag=tag)
    return exclusion


@transaction.atomic
def standing_exclusion_remove(*, user, tag_id: int) -> None:
    from fanfold.filters.models import StandingExclusion

    StandingExclusion.objects.filter(user=user, tag_id=tag_id).delete()
