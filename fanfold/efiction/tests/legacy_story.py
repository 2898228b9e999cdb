"""Builds what an eFiction import leaves behind (rows at `legacy id + offset`, LegacyId
rows for tags) with the normal services, for the old-URL tests.

Legacy ids are 1-based and every offset is the row's pk minus its legacy id, so the
offsets are non-zero whenever earlier rows exist (a filler row is made first)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from fanfold.accounts.models import User
from fanfold.conftest import tag
from fanfold.efiction.models import EfictionImport, Kind, LegacyId
from fanfold.tags.models import Tag
from fanfold.works.models import Chapter, Series, Work
from fanfold.works.services import cocreator_invite, creatorship_accept

PUBLISHED = dt.datetime(2019, 3, 4, 12, 0, tzinfo=dt.UTC)
UPDATED = dt.datetime(2021, 11, 25, 12, 0, tzinfo=dt.UTC)


@dataclass
class Imported:
    imp: EfictionImport
    work: Work
    author: User
    chapters: list[Chapter]
    series: Series
    sid: int = 1
    uid: int = 1
    seriesid: int = 1
    rid: int = 4
    catid: int = 12
    charid: int = 5
    genre_classid: int = 3
    warning_classid: int = 9


def legacy_tag(kind: str, legacy_id: int, name: str, group: str = "") -> Tag:
    found = Tag.objects.filter(name=name).first() or tag(name)
    LegacyId.objects.create(kind=kind, legacy_id=legacy_id, object_id=found.pk, group=group)
    return found


def imported_story(make_user, make_work, *, chapters: int = 3, rating: str = "Mature", **fields):
    """A story as the importer would leave it: sid 1 by uid 1 in series 1."""
    make_work(make_user(), title="Someone Else's Work")  # so the offsets are not zero
    author = make_user("Quillmoth")
    work = make_work(
        author,
        title="The Lamp Room",
        rating=rating,
        fandoms=("Lighthouse Keepers",),
        characters=["Ada Keeper", "Tom Tide"],
        freeforms=["Angst", "Hurt/Comfort", "Character Death"],
        summary="<p>Ada keeps the <em>light</em> burning.</p>",
        notes="<p>Written for the winter swap.</p>",
        series_title="Harbour Tales",
        chapters=chapters,
        **fields,
    )
    chapter_rows = list(work.chapters.order_by("position"))
    series = work.series.get()
    Work.objects.filter(pk=work.pk).update(
        hits=321, hits_folded=321, published_at=PUBLISHED, updated_at=UPDATED, complete=True
    )
    work.refresh_from_db()
    offsets = {
        Kind.STORY: work.pk - 1,
        Kind.AUTHOR: author.pk - 1,
        Kind.SERIES: series.pk - 1,
        # chapid 11, 12, 13... for positions 1, 2, 3...
        Kind.CHAPTER: chapter_rows[0].pk - 11,
        Kind.REVIEW: 0,
    }
    imp = EfictionImport.objects.create(
        pk=1, source="archive.sql", offsets=offsets, started_at=timezone.now()
    )
    legacy_tag(Kind.RATING, 4, rating, group="R")
    legacy_tag(Kind.CATEGORY, 12, "Lighthouse Keepers")
    legacy_tag(Kind.CHARACTER, 5, "Ada Keeper")
    legacy_tag(Kind.CHARACTER, 6, "Tom Tide")
    legacy_tag(Kind.CLASS, 3, "Angst", group="Genres")
    legacy_tag(Kind.CLASS, 4, "Hurt/Comfort", group="Genres")
    legacy_tag(Kind.CLASS, 9, "Character Death", group="Warnings")
    return Imported(imp=imp, work=work, author=author, chapters=chapter_rows, series=series)


def add_cocreator(work: Work, inviter: User, cocreator: User) -> None:
    creatorship = cocreator_invite(work=work, inviter=inviter, pseud=cocreator.default_pseud)
    creatorship_accept(creatorship=creatorship, user=cocreator)
