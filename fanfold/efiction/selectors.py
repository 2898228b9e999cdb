"""Reads behind the old eFiction URLs: legacy id ↔ Fanfold row, and what a story page
shows, in eFiction's labels.

Every story read starts from `Work.objects.readable_by(viewer)`, the one visibility rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone

from fanfold.accounts.models import User
from fanfold.archive.params import parse_int
from fanfold.comments.models import Comment
from fanfold.efiction.models import EfictionImport, Kind, LegacyId
from fanfold.tags.models import Tag, TagType
from fanfold.tags.selectors import tags_visible_to
from fanfold.works.models import Chapter, Creatorship, SerialWork, Work
from fanfold.works.selectors import LoginRequired, WorkNotFound, work_for_reader

# Far below PostgreSQL's bigint limit, far above any archive: bigger ids are not ours.
MAX_ID = 10**12
# eFiction's stock install creates these two class types first; the copy-paste
# FanFicFare adapters look for exactly these type ids.
STOCK_CLASS_TYPES = {"Genres": 1, "Warnings": 2}
BROWSE_PARAMS = ((Kind.CATEGORY, "categories&catid"), (Kind.CHARACTER, "characters&charid"))
# Lines for tags that did not come from an eFiction class, for works posted here.
DEFAULT_CLASS_LABELS = {
    TagType.WARNING: "Warnings",
    TagType.RELATIONSHIP: "Pairing",
    # FanFicFare files eFiction genres and AO3 additional tags both under "genre".
    TagType.FREEFORM: "Genres",
}


class StoryNotFound(Exception):
    """No such story for this viewer (missing, draft, hidden, not approved)."""


class MembersOnly(Exception):
    """A members-only story asked for by a guest."""


def parse_id(raw: str | None) -> int | None:
    """A positive eFiction id from a query parameter, or None for anything else."""
    return parse_int(raw, minimum=1, maximum=MAX_ID - 1)


def current_import() -> EfictionImport:
    """The import row, or an unsaved one with no offsets: an archive that never imported
    answers the old URLs with its own ids."""
    return EfictionImport.objects.filter(pk=1).first() or EfictionImport(offsets={})


def legacy_id_of(imp: EfictionImport, kind: str, pk: int) -> int | None:
    """The eFiction id an old link uses for row `pk`; None for rows older than the import
    whose pk lies below the offset (they have no old id)."""
    legacy = imp.legacy_for(kind, pk)
    return legacy if legacy > 0 else None


def tag_for_legacy(
    *, kind: str, legacy_id: int, imp: EfictionImport, viewer: User | None
) -> Tag | None:
    """The tag an eFiction category, character, class or rating became, if `viewer` may
    know of it (`tags_visible_to`). An archive that never imported has no mapping rows
    and uses tag ids directly."""
    row = LegacyId.objects.filter(kind=kind, legacy_id=legacy_id).first()
    if row is not None:
        pk = row.object_id
    elif imp.pk is None:
        pk = legacy_id
    else:
        return None
    return tags_visible_to(viewer).filter(pk=pk).first()


def story_for_reader(*, viewer: User | None, work_pk: int) -> tuple[Work, bool]:
    """The work behind an old story link and whether the viewer may edit it, by the one
    visibility rule (the Fanfold work page's own lookup); raises StoryNotFound or
    MembersOnly."""
    try:
        return work_for_reader(viewer=viewer, work_id=work_pk)
    except LoginRequired:
        raise MembersOnly from None
    except WorkNotFound:
        raise StoryNotFound from None


def rating_legacy_id(work: Work) -> int:
    """The eFiction rating id the age-consent link carries (the rating tag's id for
    works posted here; 0 for unrated ones)."""
    if work.rating_id is None:
        return 0
    row = LegacyId.objects.filter(kind=Kind.RATING, object_id=work.rating_id).first()
    return row.legacy_id if row is not None else work.rating_id


@dataclass
class Link:
    text: str
    url: str


@dataclass
class Line:
    """One `Label: value` line of the story's info box."""

    label: str
    links: list[Link] = field(default_factory=list)
    text: str = ""


@dataclass
class Author:
    name: str
    url: str
    user_id: int


@dataclass
class Story:
    """What the printable, index and chapter pages show, loaded in a fixed number of
    queries whatever the number of chapters."""

    work: Work
    sid: int
    authors: list[Author]
    lines: list[Line]
    chapters: list[Chapter]
    rating_legacy_id: int | None

    @property
    def byline(self) -> str:
        return ", ".join(a.name for a in self.authors)

    def chapter_at(self, position: int) -> Chapter | None:
        return next((c for c in self.chapters if c.position == position), None)


class Links:
    """Old-style links for rows that have an eFiction id, Fanfold links for the rest."""

    def __init__(self, imp: EfictionImport, legacy_tags: dict[tuple[str, int], LegacyId]):
        self.imp = imp
        self.legacy_tags = legacy_tags

    def user(self, user: User) -> str:
        uid = legacy_id_of(self.imp, Kind.AUTHOR, user.pk)
        if uid is None:
            return reverse("accounts:user", args=[user.username])
        return f"viewuser.php?uid={uid}"

    def series(self, series_id: int) -> str:
        seriesid = legacy_id_of(self.imp, Kind.SERIES, series_id)
        if seriesid is None:
            return reverse("works:series", args=[series_id])
        return f"viewseries.php?seriesid={seriesid}"

    def challenge(self, challenge_id: int) -> str:
        chalid = legacy_id_of(self.imp, Kind.CHALLENGE, challenge_id)
        if chalid is None:
            return reverse("challenges:detail", args=[challenge_id])
        return f"modules/challenges/challenges.php?chalid={chalid}"

    def tag(self, tag: Tag) -> str:
        for kind, param in (
            (Kind.CATEGORY, "categories&catid"),
            (Kind.CHARACTER, "characters&charid"),
        ):
            row = self.legacy_tags.get((kind, tag.pk))
            if row is not None:
                return f"browse.php?type={param}={row.legacy_id}"
        row = self.legacy_tags.get((Kind.CLASS, tag.pk))
        if row is not None:
            type_id = STOCK_CLASS_TYPES.get(row.group)
            type_part = f"&type_id={type_id}" if type_id else ""
            return f"browse.php?type=class{type_part}&classid={row.legacy_id}"
        return tag.get_works_url()


def _legacy_tags(work: Work, tags: list[Tag]) -> dict[tuple[str, int], LegacyId]:
    ids = [t.pk for t in tags]
    if work.rating_id:
        ids.append(work.rating_id)
    rows = LegacyId.objects.filter(
        kind__in=(Kind.CATEGORY, Kind.CHARACTER, Kind.CLASS, Kind.RATING), object_id__in=ids
    )
    return {(row.kind, row.object_id): row for row in rows}


def _class_lines(tags: list[Tag], links: Links) -> list[Line]:
    """One line per eFiction class type. A story from eFiction shows only its classes
    (the archive warning the import had to give it would contradict its own "Warnings:"
    line); a work posted here shows its warnings, pairings and tags under the labels
    reader tools know."""
    classes = [(t, links.legacy_tags.get((Kind.CLASS, t.pk))) for t in tags]
    from_efiction = any(row is not None for _, row in classes)
    lines: dict[str, Line] = {}
    for tag, row in classes:
        if from_efiction:
            label = (row.group or "Classes") if row is not None else None
        else:
            label = DEFAULT_CLASS_LABELS.get(TagType(tag.type))
        if label is not None:
            lines.setdefault(label, Line(label)).links.append(Link(tag.name, links.tag(tag)))
    # eFiction lists class types by id; the stock ones first, the rest alphabetically.
    return sorted(lines.values(), key=lambda ln: (STOCK_CLASS_TYPES.get(ln.label, 99), ln.label))


# FanFicFare's gluttonyfiction.com adapter reads this one (PHP "d/m/Y").
DEFAULT_DATE_FORMAT = "%d/%m/%Y"


def date_text(value, date_format: str = "") -> str:
    if value is None:
        return "None"
    fmt = settings.EFICTION_DATE_FORMAT or date_format or DEFAULT_DATE_FORMAT
    return timezone.localtime(value).strftime(fmt)


def story_page(*, imp: EfictionImport, work: Work, with_text: bool) -> Story:
    """Everything the old story pages show; chapter bodies only when `with_text`."""
    creatorships = list(
        Creatorship.objects.filter(work=work, approved=True).select_related("pseud__user")
    )
    tags = sorted(work.tags.all(), key=lambda t: (t.sort_order, t.name.casefold()))
    legacy = _legacy_tags(work, tags)
    links = Links(imp, legacy)
    series = list(SerialWork.objects.filter(work=work, approved=True).select_related("series"))
    chapters = Chapter.objects.public().filter(work=work).order_by("position")
    if not with_text:
        chapters = chapters.defer("body", "body_html", "notes", "endnotes", "summary")
    rating_row = legacy.get((Kind.RATING, work.rating_id or 0))

    def of_type(tag_type: str) -> list[Link]:
        return [Link(t.name, links.tag(t)) for t in tags if t.type == tag_type]

    rated = rating_row.group if rating_row and rating_row.group else None
    lines = [
        Line("Rated", text=rated or (work.rating.name if work.rating else "Not Rated")),
        Line("Categories", links=of_type(TagType.FANDOM)),
        Line("Characters", links=of_type(TagType.CHARACTER)),
        *_class_lines(tags, links),
        Line(
            "Challenges",
            links=[Link(work.challenge.title, links.challenge(work.challenge.pk))]
            if work.challenge
            else [],
        ),
        Line("Series", links=[Link(s.series.title, links.series(s.series_id)) for s in series]),
        Line("Chapters", text=str(work.chapter_count)),
        Line("Completed", text="Yes" if work.complete else "No"),
        Line("Word count", text=str(work.word_count)),
        Line("Read", text=str(work.hits)),
        Line("Published", text=date_text(work.published_at, imp.date_format)),
        Line("Updated", text=date_text(work.updated_at or work.published_at, imp.date_format)),
    ]
    authors = [
        Author(c.pseud.name, links.user(c.pseud.user), c.pseud.user_id) for c in creatorships
    ]
    return Story(
        work=work,
        sid=legacy_id_of(imp, Kind.STORY, work.pk) or work.pk,
        authors=authors,
        lines=lines,
        chapters=list(chapters),
        rating_legacy_id=rating_row.legacy_id if rating_row else work.rating_id,
    )


@dataclass
class IndexLine:
    """A chapter line of the story index: the chapter, the id its old reviews link
    carries and how many reviews (comments) readers see on it."""

    chapter: Chapter
    chapid: int
    reviews: int


def index_lines(*, imp: EfictionImport, story: Story) -> list[IndexLine]:
    """The story index's chapter lines, with every chapter's review count in one query."""
    counts = dict(
        Comment.objects.counted()
        .filter(chapter__in=[c.pk for c in story.chapters])
        .order_by()
        .values("chapter")
        .annotate(n=Count("pk"))
        .values_list("chapter", "n")
    )
    return [
        IndexLine(
            chapter=c,
            chapid=legacy_id_of(imp, Kind.CHAPTER, c.pk) or c.pk,
            reviews=counts.get(c.pk, 0),
        )
        for c in story.chapters
    ]


def recent_works(limit: int = 20) -> list[Work]:
    """The most recently updated works anyone may read, for the old RSS feed."""
    return list(
        Work.objects.visible_to(None)
        .select_related("rating")
        .prefetch_related(
            Prefetch(
                "creatorships",
                queryset=Creatorship.objects.filter(approved=True).select_related("pseud"),
                to_attr="approved_creatorships",
            )
        )
        .order_by("-updated_at", "-pk")[:limit]
    )
