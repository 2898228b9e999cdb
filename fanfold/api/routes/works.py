"""/works: the works listing (every filter, sort and facet of the page), a work, its
chapters."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Path, Query, Router

from fanfold.api.auth import viewer_of
from fanfold.api.cursors import encode, keyset_slice, page_from, scope_of
from fanfold.api.errors import ApiError
from fanfold.api.schemas import ChapterList, ChapterOut, Error, Invalid, WorkList, WorkOut
from fanfold.api.schemas import WorkQuery as WorkQueryIn
from fanfold.api.selectors import chapters_for_api, work_for_api, works_in_order
from fanfold.api.serialize import chapter_out, work_out
from fanfold.archive.params import MAX_ID
from fanfold.filters.listing import works_filtered_listing
from fanfold.filters.query import MAX_PAGE

router = Router(tags=["works"])
LISTED = {400: Invalid | Error, 401: Error, 429: Error}
ONE = {400: Invalid | Error, 401: Error, 404: Error, 429: Error}
CHAPTERS_MAX = 20


def _listing_params(query: WorkQueryIn, page: int) -> dict[str, list[str]]:
    """The validated query as the GET parameters the listing's own parser reads."""
    params: dict[str, list[str]] = {}
    for name, value in query.dict(exclude={"cursor"}).items():
        if value is None or value == []:
            continue
        values = value if isinstance(value, list) else [value]
        params[name] = [_param(v) for v in values]
    if page > 1:
        params["page"] = [str(page)]
    return params


def _param(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


@router.get("/works", response={200: WorkList, **LISTED}, summary="Works, filtered and sorted")
def work_list(request: HttpRequest, query: Query[WorkQueryIn]):
    """The works listing with the page's parameters (tag, exclude, rating, sort, …),
    twenty works at a time, with the sidebar's facet counts."""
    viewer = viewer_of(request)
    scope = scope_of("works", query.dict())
    page = page_from(query.cursor, scope, last=MAX_PAGE)
    listing = works_filtered_listing(
        viewer=viewer, params=_listing_params(query, page), with_blurbs=False
    )
    works = works_in_order(listing.result.work_ids, viewer)
    return {
        "total": listing.total,
        "total_is_lower_bound": listing.result.total_is_lower_bound,
        "results": [work_out(w) for w in works],
        "facets": [
            {
                "type": g.type,
                "label": g.label,
                "param": g.param,
                "truncated": g.truncated,
                "entries": [
                    {
                        "id": e.tag_id,
                        "name": e.name,
                        "count": e.count,
                        "included": e.included,
                        "excluded": e.excluded,
                    }
                    for e in g.entries
                ],
            }
            for g in listing.groups
        ],
        "notes": listing.errors,
        "next_cursor": encode(scope, page + 1) if listing.result.has_next else None,
    }


WorkId = Path(..., ge=1, le=MAX_ID)


@router.get("/works/{id:work_id}", response={200: WorkOut, **ONE}, summary="A work")
def work_detail(request: HttpRequest, work_id: int = WorkId):
    return work_out(work_for_api(viewer=viewer_of(request), work_id=work_id))


@router.get(
    "/works/{id:work_id}/chapters",
    response={200: ChapterList, **ONE},
    summary="A work's chapters, with their text",
)
def work_chapters(
    request: HttpRequest,
    work_id: int = WorkId,
    limit: int = Query(5, ge=1, le=CHAPTERS_MAX),
    cursor: str | None = Query(None, max_length=400),
):
    """The chapters in order, with each one's sanitised HTML as the site shows it."""
    work = work_for_api(viewer=viewer_of(request), work_id=work_id)
    scope = scope_of(f"chapters:{work.pk}", {"limit": limit})
    part = keyset_slice(
        chapters_for_api(work), order=("position", "pk"), scope=scope, cursor=cursor, limit=limit
    )
    return {"results": [chapter_out(c) for c in part.items], "next_cursor": part.next_cursor}


@router.get(
    "/works/{id:work_id}/chapters/{id:chapter_id}",
    response={200: ChapterOut, **ONE},
    summary="One chapter, with its text",
)
def work_chapter(request: HttpRequest, work_id: int = WorkId, chapter_id: int = WorkId):
    work = work_for_api(viewer=viewer_of(request), work_id=work_id)
    chapter = chapters_for_api(work).filter(pk=chapter_id).first()
    if chapter is None:
        raise ApiError(404, gettext("No such chapter."))
    return chapter_out(chapter)
