"""/tags, /series and /users: the archive's vocabulary, series and public profiles."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router

from fanfold.api.auth import viewer_of
from fanfold.api.cursors import keyset_slice, scope_of
from fanfold.api.schemas import (
    Error,
    Invalid,
    Limit,
    SeriesDetail,
    SeriesList,
    TagDetail,
    TagList,
    TagQuery,
    UserOut,
)
from fanfold.api.selectors import (
    series_for_api,
    series_one,
    tag_for_api,
    tags_for_api,
    user_for_api,
    works_counts,
)
from fanfold.api.serialize import series_out, tag_out, tag_ref, user_out, work_out
from fanfold.archive.params import MAX_ID
from fanfold.tags.selectors import tag_family

router = Router()
LISTED = {400: Invalid | Error, 401: Error, 429: Error}
ONE = {400: Invalid | Error, 401: Error, 404: Error, 429: Error}
ObjectId = Path(..., ge=1, le=MAX_ID)


@router.get("/tags", response={200: TagList, **LISTED}, tags=["tags"], summary="Tags")
def tag_list(request: HttpRequest, query: Query[TagQuery]):
    """Tags you may know of (canonical ones, and others while a work you may see uses
    them), alphabetically, with how many works each one's works page lists for you."""
    viewer = viewer_of(request)
    tags = tags_for_api(viewer, tag_type=query.type, q=query.q, canonical=query.canonical)
    part = keyset_slice(
        tags,
        order=("key",),
        scope=scope_of("tags", query.dict()),
        cursor=query.cursor,
        limit=query.limit,
    )
    counts = works_counts(part.items, viewer)
    return {
        "results": [tag_out(t, counts.get(t.pk, 0)) for t in part.items],
        "next_cursor": part.next_cursor,
    }


@router.get(
    "/tags/{id:tag_id}",
    response={200: TagDetail, **ONE},
    tags=["tags"],
    summary="A tag with its synonyms, parents and children",
)
def tag_detail(request: HttpRequest, tag_id: int = ObjectId):
    viewer = viewer_of(request)
    tag = tag_for_api(viewer=viewer, tag_id=tag_id)
    family = tag_family(tag, viewer)
    counts = works_counts([tag], viewer)
    return {
        **tag_out(tag, counts.get(tag.pk, 0)),
        "description_html": str(tag.description_html),
        "synonyms": [tag_ref(t) for t in family.synonyms],
        "parents": [tag_ref(t) for t in family.parents],
        "children": [tag_ref(t) for t in family.children],
    }


@router.get("/series", response={200: SeriesList, **LISTED}, tags=["series"], summary="Series")
def series_list(request: HttpRequest, query: Query[Limit]):
    """Series with a part you may see, newest first."""
    part = keyset_slice(
        series_for_api(viewer_of(request)),
        order=("-pk",),
        scope=scope_of("series", query.dict()),
        cursor=query.cursor,
        limit=query.limit,
    )
    return {"results": [series_out(s) for s in part.items], "next_cursor": part.next_cursor}


@router.get(
    "/series/{id:series_id}",
    response={200: SeriesDetail, **ONE},
    tags=["series"],
    summary="A series and its works you may see, in order",
)
def series_detail(request: HttpRequest, series_id: int = ObjectId):
    series, works = series_one(viewer=viewer_of(request), series_id=series_id)
    return {**series_out(series), "works": [work_out(w) for w in works]}


@router.get(
    "/users/{username}",
    response={200: UserOut, **ONE},
    tags=["users"],
    summary="A member's public profile",
)
def user_profile(request: HttpRequest, username: str = Path(..., min_length=1, max_length=40)):
    user, count = user_for_api(viewer=viewer_of(request), username=username)
    return user_out(user, count)
