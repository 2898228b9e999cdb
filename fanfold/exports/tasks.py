"""The background build of a book too big to build while its reader waits."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from fanfold.archive.background import task
from fanfold.exports.services import BuildRequest, download_build


@task()
def build_download(
    *,
    format: str,
    name: str,
    work_id: int | None = None,
    series_id: int | None = None,
    work_ids: list[int] | None = None,
) -> str:
    request = BuildRequest(
        format=format,
        name=name,
        work_id=work_id,
        series_id=series_id,
        work_ids=tuple(work_ids or ()),
    )
    try:
        return download_build(request)
    except ObjectDoesNotExist:
        # Deleted, hidden or taken back to draft since it was queued: nothing to build.
        return ""
