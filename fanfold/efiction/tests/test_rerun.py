"""Running the import again after the archive has lived in Fanfold for a while: what the
archive gained since (hits, kudos, comments, bookmarks, later edits) is never taken away."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fanfold.bookmarks.models import Bookmark
from fanfold.bookmarks.services import BookmarkFields, bookmark_create
from fanfold.comments.models import Comment
from fanfold.comments.services import CommentFields, comment_create
from fanfold.efiction.models import EfictionImport
from fanfold.efiction.tests.test_importer import FIXTURES, run, user, utc, work
from fanfold.kudos.services import kudos_give
from fanfold.moderation.services import work_approve
from fanfold.staff.roles import Role
from fanfold.works.chapter_services import chapter_add
from fanfold.works.fields import ChapterFields
from fanfold.works.hits import hits_fold, hits_write
from fanfold.works.models import Approval, Chapter, HitLedger

pytestmark = pytest.mark.django_db


def dump_with(old: bytes, new: bytes) -> Path:
    """The `full` dump with one change, as a newer dump of the same archive."""
    dump = (FIXTURES / "full/dump.sql").read_bytes()
    assert dump.count(old) == 1
    path = FIXTURES.parent / "_newer_dump.sql"
    path.write_bytes(dump.replace(old, new))
    return path


def visits(work_pk: int, count: int, day: date) -> None:
    hits_write([(work_pk, f"visitor-{n}", day) for n in range(count)])


def test_a_rerun_keeps_hits_counters_and_dates_gained_in_fanfold():
    run("full/dump.sql")
    lantern = work(1)  # eFiction read it 154 times
    # 30 visits long ago (folded into hits_folded) and 20 today (still in the ledger).
    visits(lantern.pk, 30, date(2020, 1, 1))
    hits_fold(today=date(2020, 1, 10))
    visits(lantern.pk, 20, date.today())
    lantern.refresh_from_db()
    assert lantern.hits == 204
    first_chapter = lantern.chapters.get(position=1)  # eFiction: 60 reads
    Chapter.objects.filter(pk=first_chapter.pk).update(hits=75)
    zoe = user(2)
    kudos_give(work=lantern, user=zoe)
    comment_create(work=lantern, user=zoe, data=CommentFields(body="Still lovely."))
    bookmark_create(user=zoe, work=lantern, data=BookmarkFields(notes="Again."))
    added = chapter_add(
        work=lantern,
        editor=user(1),
        data=ChapterFields(body="<p>A new ending.</p>", title="Afterword"),
        post=True,
        now=utc(2024, 5, 1, 9, 0),
    )
    lantern.refresh_from_db()
    edited = lantern.edited_at

    report = run("full/dump.sql")

    lantern.refresh_from_db()
    assert lantern.hits == 204
    assert lantern.hits_folded + HitLedger.objects.filter(work=lantern).count() == 204
    assert lantern.kudos_count == 1
    assert lantern.comment_count == Comment.objects.counted().filter(work=lantern).count() == 3
    assert lantern.bookmark_count == Bookmark.objects.filter(work=lantern).count() == 2
    assert lantern.chapter_count == 5 and Chapter.objects.filter(pk=added.pk).exists()
    assert lantern.updated_at == utc(2024, 5, 1, 9, 0)  # eFiction said 2006-03-01
    assert lantern.edited_at >= edited
    assert lantern.published_at == utc(2006, 1, 5, 10, 0)
    assert Chapter.objects.get(pk=first_chapter.pk).hits == 75
    assert Chapter.objects.get(pk=lantern.chapters.get(position=2).pk).hits == 40
    assert "Fanfold's was larger for 1 works and 1 chapters" in report

    # The ledger keeps counting on top of the kept total.
    visits(lantern.pk, 21, date.today())
    lantern.refresh_from_db()
    assert lantern.hits == 205


def test_a_rerun_takes_efictions_count_when_it_is_the_larger():
    """The old site may have kept running after the first dump: its newer, larger count
    wins, and Fanfold's own visits keep adding to it."""
    run("full/dump.sql")
    lantern = work(1)
    visits(lantern.pk, 10, date.today())
    newer = dump_with(b"'1','1','1','0',45,10,2,154,'0')", b"'1','1','1','0',45,10,2,900,'0')")
    try:
        run(str(newer))
    finally:
        newer.unlink()
    lantern.refresh_from_db()
    assert lantern.hits == 900
    assert lantern.hits_folded + HitLedger.objects.filter(work=lantern).count() == 900
    visits(lantern.pk, 11, date.today())
    lantern.refresh_from_db()
    assert lantern.hits == 901
    assert EfictionImport.objects.get().report["kept_hits"] == {"works": 0, "chapters": 0}


def test_first_run_report_states_the_hits_rule():
    report = run("full/dump.sql")
    assert "keep the larger of eFiction's read count and Fanfold's" in report


def test_a_rerun_keeps_a_moderators_decision(make_user):
    run("full/dump.sql")
    pending = work(5)  # unvalidated in eFiction, so waiting in the queue
    assert pending.approval == Approval.PENDING
    work_approve(work=pending, moderator=make_user("mod", roles=[Role.MODERATOR]))
    run("full/dump.sql")
    assert work(5).approval == Approval.APPROVED
