"""What the API answers with and what it accepts, as ninja (pydantic) schemas.

Every number and string a client sends is bounded here, so a malformed value is a 400
with the field named before any query runs. HTML fields carry the sanitised HTML the
site stores and shows (`*_html`), never the author's raw input.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from ninja import Field, Schema

from fanfold.archive.params import MAX_DATE, MAX_ID, MIN_DATE
from fanfold.filters.query import MAX_DAYS, MAX_QUERY_LENGTH, MAX_TAGS, SORTS
from fanfold.tags.models import NAME_MAX, TagType
from fanfold.works.models import Language

TagId = Annotated[int, Field(ge=1, le=MAX_ID)]
TagName = Annotated[str, Field(min_length=1, max_length=NAME_MAX)]
Count = Field(default=None, ge=0, le=10**12 - 1)
Day = Field(default=None, ge=MIN_DATE, le=MAX_DATE)
Within = Field(default=None, ge=1, le=MAX_DAYS)
if TYPE_CHECKING:  # mypy cannot read a Literal built from the choices
    TagTypeName: TypeAlias = str
    LanguageCode: TypeAlias = str
    SortName: TypeAlias = str
else:
    TagTypeName = Literal[tuple(TagType.values)]
    LanguageCode = Literal[tuple(Language.values)]
    SortName = Literal[tuple(SORTS)]
CURSOR_FIELD = Field(default=None, max_length=400, description="From `next_cursor`.")


class Error(Schema):
    detail: str


class InvalidField(Schema):
    loc: list[str | int]
    msg: str


class Invalid(Schema):
    detail: str
    errors: list[InvalidField]


# --- references ---------------------------------------------------------------------


class TagRef(Schema):
    id: int
    name: str
    type: str


class CreatorRef(Schema):
    pseud: str
    username: str


class SeriesPart(Schema):
    series_id: int
    title: str
    position: int


class WorkRef(Schema):
    id: int
    title: str


class SeriesRef(Schema):
    id: int
    title: str


# --- works ----------------------------------------------------------------------------


class WorkOut(Schema):
    id: int
    url: str
    title: str
    creators: list[CreatorRef]
    rating: TagRef | None
    tags: list[TagRef]
    language: str
    summary_html: str
    notes_html: str
    endnotes_html: str
    words: int
    chapters: int
    expected_chapters: int | None
    complete: bool
    members_only: bool
    published_at: dt.datetime | None
    updated_at: dt.datetime | None
    hits: int
    kudos: int
    comments: int
    bookmarks: int
    series: list[SeriesPart]


class FacetEntryOut(Schema):
    id: int
    name: str
    count: int
    included: bool
    excluded: bool


class FacetGroupOut(Schema):
    type: str
    label: str
    param: str = Field(description="The query parameter that includes one of these.")
    entries: list[FacetEntryOut]
    truncated: int


class WorkList(Schema):
    total: int
    total_is_lower_bound: bool = Field(
        False,
        description="True while the filter index is being prepared (after a first start "
        "or a rebuild): the listing stopped counting, and there are more than `total` "
        "works. Follow `next_cursor` rather than the total.",
    )
    results: list[WorkOut]
    facets: list[FacetGroupOut]
    notes: list[str] = Field(description="Parameters the filter ignored, and why.")
    next_cursor: str | None


class WorkQuery(Schema):
    """The works listing's own parameters (a /works link's query string works here)."""

    tag: list[TagName] = Field(default=[], max_length=MAX_TAGS, description="Ids or names.")
    exclude: list[TagName] = Field(default=[], max_length=MAX_TAGS)
    rating: list[TagId] = Field(default=[], max_length=MAX_TAGS)
    warning: list[TagId] = Field(default=[], max_length=MAX_TAGS)
    category: list[TagId] = Field(default=[], max_length=MAX_TAGS)
    complete: Literal["any", "yes", "no"] | None = None
    single_chapter: bool | None = None
    words_min: int | None = Count
    words_max: int | None = Count
    kudos_min: int | None = Count
    kudos_max: int | None = Count
    hits_min: int | None = Count
    hits_max: int | None = Count
    comments_min: int | None = Count
    comments_max: int | None = Count
    bookmarks_min: int | None = Count
    bookmarks_max: int | None = Count
    updated_from: dt.date | None = Day
    updated_to: dt.date | None = Day
    updated_within: int | None = Within
    published_from: dt.date | None = Day
    published_to: dt.date | None = Day
    published_within: int | None = Within
    language: LanguageCode | None = None
    crossovers: Literal["include", "exclude", "only"] | None = None
    q: str | None = Field(default=None, max_length=MAX_QUERY_LENGTH)
    q_body: bool | None = None
    sort: SortName | None = None
    facets: Literal["all"] | None = Field(default=None, description="Every tag, not ten.")
    standing: Literal["off"] | None = Field(
        default=None, description="Ignore the member's standing exclusions."
    )
    cursor: str | None = CURSOR_FIELD


class ChapterOut(Schema):
    id: int
    position: int
    title: str
    summary_html: str
    notes_html: str
    endnotes_html: str
    body_html: str
    words: int
    published_at: dt.datetime | None


class ChapterList(Schema):
    results: list[ChapterOut]
    next_cursor: str | None


# --- tags -----------------------------------------------------------------------------


class TagOut(Schema):
    id: int
    name: str
    type: str
    canonical: bool
    synonym_of: TagRef | None
    works_count: int = Field(description="Works its works page lists for you.")


class TagDetail(TagOut):
    description_html: str
    synonyms: list[TagRef]
    parents: list[TagRef]
    children: list[TagRef]


class TagList(Schema):
    results: list[TagOut]
    next_cursor: str | None


class TagQuery(Schema):
    type: TagTypeName | None = None
    q: str | None = Field(default=None, max_length=NAME_MAX, description="Part of a name.")
    canonical: bool | None = None
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = CURSOR_FIELD


# --- series and people ------------------------------------------------------------------


class SeriesOut(Schema):
    id: int
    url: str
    title: str
    owner: str
    summary_html: str
    notes_html: str
    complete: bool
    works_count: int
    updated_at: dt.datetime | None


class SeriesDetail(SeriesOut):
    works: list[WorkOut]


class SeriesList(Schema):
    results: list[SeriesOut]
    next_cursor: str | None


class PseudOut(Schema):
    name: str
    description: str
    is_default: bool


class UserOut(Schema):
    username: str
    url: str
    joined: dt.datetime
    bio_html: str
    pseuds: list[PseudOut]
    works_count: int = Field(description="Their works you may see.")


# --- a member's own lists ---------------------------------------------------------------


class Limit(Schema):
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = CURSOR_FIELD


class BookmarkOut(Schema):
    id: int
    created_at: dt.datetime
    updated_at: dt.datetime
    available: bool = Field(description="False when its work or series went away.")
    work: WorkRef | None
    series: SeriesRef | None
    notes_html: str
    tags: list[str]
    private: bool
    rec: bool


class BookmarkList(Schema):
    results: list[BookmarkOut]
    next_cursor: str | None


class ReadingOut(Schema):
    available: bool
    work: WorkRef | None
    first_visit: dt.datetime | None
    last_visit: dt.datetime | None
    visits: int
    chapter_position: int
    marked_for_later: bool


class ReadingList(Schema):
    results: list[ReadingOut]
    next_cursor: str | None


class HistoryQuery(Limit):
    marked_for_later: bool = False


class SubscriptionOut(Schema):
    id: int
    created_at: dt.datetime
    kind: Literal["work", "series", "creator"]
    available: bool
    work: WorkRef | None
    series: SeriesRef | None
    creator: str | None


class SubscriptionList(Schema):
    results: list[SubscriptionOut]
    next_cursor: str | None
