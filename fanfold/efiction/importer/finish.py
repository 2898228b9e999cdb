"""Counters, word-count comparison and id sequences after the rows are in."""

from __future__ import annotations

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Count, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from fanfold.archive.models import SiteSettings
from fanfold.bookmarks.models import Bookmark
from fanfold.comments.models import Comment
from fanfold.efiction.importer.base import ImporterBase
from fanfold.efiction.importer.writes import (
    MODELS_BY_KIND,
)
from fanfold.efiction.models import Kind
from fanfold.works.models import (
    Chapter,
    Work,
)


class FinishMixin(ImporterBase):
    """Part of `Importer` (run.py).

    Counters, word-count comparison and id sequences after the rows are in.
    """

    # -- finishing ---------------------------------------------------------------------------
    def _finish(self) -> None:
        if self.store_files and self.file_index is not None:
            unused = [
                p for paths in self.file_index.values() for p in paths if p not in self.files_used
            ]
            for path in unused[:20]:
                self.report.skip(
                    "stories folder",
                    f"{path.parent.name}/{path.name}",
                    "file belongs to no chapter",
                )
            if len(unused) > 20:
                self.report.note(
                    f"{len(unused):,} files in the stories folder belong to no chapter"
                )
        work_pks = [info[0] for info in self.story_info.values()]
        self.progress("finishing", 0, None)
        with self._phase("counts"), transaction.atomic():
            self._recount(work_pks)
        self._compare_word_counts()
        self._reset_sequences()
        with self._phase("search index"):
            self._index_text(work_pks)
        from fanfold.filters.services import filter_index_rebuild_all

        filter_index_rebuild_all()
        SiteSettings.objects.get(pk=1).save()  # bump the version: cached pages are stale

    def _recount(self, work_pks: list[int]) -> None:
        chapters = Chapter.objects.filter(work=OuterRef("pk"), posted=True).order_by()
        chapter_count = chapters.values("work").annotate(n=Count("pk")).values("n")
        word_count = chapters.values("work").annotate(n=Sum("word_count")).values("n")
        comments = Comment.objects.counted().filter(work=OuterRef("pk")).order_by()
        comment_count = comments.values("work").annotate(n=Count("pk")).values("n")
        bookmarks = Bookmark.objects.filter(work=OuterRef("pk")).order_by()
        bookmark_count = bookmarks.values("work").annotate(n=Count("pk")).values("n")
        zero = Value(0)
        for start in range(0, len(work_pks), 2000):
            chunk = work_pks[start : start + 2000]
            Work.objects.filter(pk__in=chunk).update(
                chapter_count=Coalesce(Subquery(chapter_count), zero),
                word_count=Coalesce(Subquery(word_count), zero),
                comment_count=Coalesce(Subquery(comment_count), zero),
                bookmark_count=Coalesce(Subquery(bookmark_count), zero),
                render_version=models.F("render_version") + 1,
            )
        # eFiction's "completed" means the chapters posted are all there will be.
        Work.objects.filter(pk__in=work_pks, complete=True).update(
            expected_chapters=models.F("chapter_count")
        )
        Work.objects.filter(pk__in=work_pks, complete=False).update(expected_chapters=None)
        empty = list(
            Work.objects.filter(pk__in=work_pks, chapter_count=0).values_list("pk", flat=True)
        )
        if empty:
            # A story with no readable chapter cannot be shown; its author keeps it as a
            # draft to finish or delete.
            Work.objects.filter(pk__in=empty).update(posted=False)
            for pk in empty:
                self.report.skip(
                    "stories", self.state.legacy_for(Kind.STORY, pk), "no chapters; kept as a draft"
                )

    def _compare_word_counts(self) -> None:
        wc = self.report.word_counts
        words = dict(
            Work.objects.filter(pk__in=[i[0] for i in self.story_info.values()]).values_list(
                "pk", "word_count"
            )
        )
        for sid, (pk, _p, _u) in self.story_info.items():
            stored = self.story_wordcount.get(sid, 0)
            counted = words.get(pk, 0)
            wc["stories_checked"] += 1
            wc["efiction_total"] += stored
            wc["fanfold_total"] += counted
            if stored != counted:
                wc["stories_differing"] += 1
                self.report.word_count_difference(f"story {sid}", stored, counted)

    def _reset_sequences(self) -> None:
        """PostgreSQL's id sequences do not follow explicit ids; move them past them."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(MODELS_BY_KIND.values()))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
