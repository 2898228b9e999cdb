"""The second pass: chapters (prepared in worker processes) and reviews; search documents."""

from __future__ import annotations

import os
import signal
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

from django.db import reset_queries, transaction
from django.utils import timezone

from fanfold.accounts.models import Pseud
from fanfold.comments.models import PATH_WIDTH, Comment
from fanfold.efiction.importer.base import ImporterBase
from fanfold.efiction.importer.chapters import (
    ChapterJob,
    Done,
    GuessDelta,
    PreparedChapter,
    prepare_chapters,
)
from fanfold.efiction.importer.convert import (
    as_bytes,
    as_date,
    as_int,
    efiction_story_html,
    split_response,
)
from fanfold.efiction.importer.run_constants import SECOND_PASS
from fanfold.efiction.importer.writes import (
    CHAPTER_MERGED,
    TITLE_MAX,
    upsert_rows,
)
from fanfold.efiction.models import Kind, LegacyId
from fanfold.efiction.source.base import Row
from fanfold.markup.formats import render_text
from fanfold.markup.sanitize import Profile
from fanfold.works.models import (
    Chapter,
    Creatorship,
)


class TextMixin(ImporterBase):
    """Part of `Importer` (run.py).

    The second pass: chapters (prepared in worker processes) and reviews; search documents.
    """

    # -- second pass: chapters and reviews ---------------------------------------------------
    def _second_pass(self) -> None:
        """Chapters go through worker processes (decoding, cleaning and counting 10 KB
        of HTML is the import's main cost) with a bounded number of batches in flight,
        so memory stays flat; the main process reads the source and writes in order."""
        self.known_chapters: dict[int, int] = {}  # chapid -> sid, for reviews
        if self.store_files:
            self._index_story_files()
        pool = self.pool
        jobs = self._jobs()
        in_flight: deque = deque()
        chapters: list[ChapterJob] = []
        reviews: list[Row] = []
        written = 0

        def write_ready(block: bool) -> None:
            nonlocal written
            while in_flight and (block or in_flight[0].ready() or len(in_flight) > jobs):
                results, guesses = in_flight.popleft().get()
                self._write_chapters(results, guesses)
                written += 1
                crash = self.options.crash_after_batches
                if crash and written >= crash:
                    os.kill(os.getpid(), signal.SIGKILL)

        def submit() -> None:
            batch = list(chapters)
            chapters.clear()
            if pool is None:
                in_flight.append(Done(prepare_chapters(batch)))
            else:
                in_flight.append(pool.apply_async(prepare_chapters, (batch,)))
            write_ready(block=False)

        try:
            for row in self.source.rows(SECOND_PASS, progress=self._bytes_progress("chapters")):
                self.report.read[row.table] += 1
                self._note_dropped(row)
                if row.table == "chapters":
                    job = self._guarded("chapters", row, "chapid", self._chapter_job, row)
                    if job is not None:
                        chapters.append(job)
                        if len(chapters) >= self.options.batch_size:
                            submit()
                else:
                    reviews.append(row)
                    if len(reviews) >= self.options.batch_size:
                        # A review may point at a chapter still being prepared.
                        if chapters:
                            submit()
                        write_ready(block=True)
                        self._write_reviews(reviews)
                        reviews.clear()
            if chapters:
                submit()
            write_ready(block=True)
            if reviews:
                self._write_reviews(reviews)
        finally:
            # Anything still in flight after an error is dropped with the pool.
            in_flight.clear()

    def _index_story_files(self) -> None:
        base = self.options.stories_dir
        if base is None:
            self.report.note(
                "the archive kept chapter text in files (store=files) but no --stories-dir "
                "was given: chapters were imported without their text"
            )
            return
        index: dict[int, list[Path]] = defaultdict(list)
        for path in sorted(base.glob("*/*.txt")):
            if path.stem.isdigit():
                index[int(path.stem)].append(path)
        self.file_index = index
        self.files_used: set[Path] = set()

    def _chapter_file(self, chapid: int, uid: int) -> Path | None:
        """stories/<chapter uid>/<chapid>.txt, or the same name in another folder (real
        archives have files filed under a co-author)."""
        if self.file_index is None:
            return None
        base = self.options.stories_dir
        assert base is not None
        path = base / str(uid) / f"{chapid}.txt"
        candidates = self.file_index.get(chapid, [])
        if path not in candidates:
            if not candidates:
                self.report.skip(
                    "chapters",
                    chapid,
                    f"text file stories/{uid}/{chapid}.txt is missing; kept as a draft",
                )
                return None
            path = candidates[0]
            self.report.skip(
                "chapters.file",
                chapid,
                f"text found in another folder ({path.parent.name}/{path.name})",
            )
        self.files_used.add(path)
        return path

    def _chapter_job(self, row: Row) -> ChapterJob | None:
        values = row.values
        chapid = as_int(values.get("chapid"))
        sid = as_int(values.get("sid"))
        if sid not in self.story_info:
            self.report.skip("chapters", chapid, f"story {sid} was not imported")
            return None
        self.known_chapters[chapid] = sid
        path = None
        if self.store_files:
            path = self._chapter_file(chapid, as_int(values.get("uid")))
        return ChapterJob(
            chapid=chapid,
            sid=sid,
            title=as_bytes(values.get("title")),
            notes=as_bytes(values.get("notes")),
            endnotes=as_bytes(values.get("endnotes")),
            text=None if self.store_files else as_bytes(values.get("storytext")),
            path=str(path) if path else None,
            stored_words=as_int(values.get("wordcount")),
            position=max(1, as_int(values.get("inorder"), 1)),
            # A pending story's chapters wait with it (approving the work shows them);
            # in a validated story an unvalidated chapter is a draft for its author, as
            # eFiction only ever showed validated chapters.
            validated=bool(
                as_int(values.get("validated"), 1) or self.story_validated.get(sid) == 0
            ),
            reads=max(0, as_int(values.get("count"))),
        )

    def _write_chapters(self, results: list[PreparedChapter], guesses: GuessDelta) -> None:
        for key, count in guesses[0].items():
            self.decoder.guesses[key] += count
            self.decoder.examples.setdefault(key, guesses[1].get(key, ""))
        wc = self.report.word_counts
        now = timezone.now()
        rows: list[dict[str, Any]] = []  # column -> value, for upsert_rows
        for ready in results:
            job = ready.job
            has_text = job.text is not None or job.path is not None
            if ready.problem:
                self.report.skip("chapters", job.chapid, ready.problem + "; kept as a draft")
            work_pk, published, updated = self.story_info[job.sid]
            wc["chapters_checked"] += 1
            if job.stored_words != ready.words:
                wc["chapters_differing"] += 1
            rows.append(
                {
                    "id": self.pk(Kind.CHAPTER, job.chapid),
                    "work_id": work_pk,
                    "position": job.position,
                    "title": ready.title[:TITLE_MAX],
                    "summary": "",
                    "summary_html": "",
                    "body": ready.body,
                    "body_html": ready.body_html,
                    "word_count": ready.words,
                    "notes": ready.notes,
                    "notes_html": ready.notes_html,
                    "endnotes": ready.endnotes,
                    "endnotes_html": ready.endnotes_html,
                    # A chapter whose text could not be found or read waits as a draft
                    # (reported above) instead of showing readers an empty page.
                    "posted": job.validated and not ready.problem and has_text,
                    "published_at": published if job.position == 1 else updated,
                    "created_at": published or now,
                    "edited_at": updated or now,
                    "hits": job.reads,
                    # Written once: a re-run leaves a staff hide alone.
                    "hidden_by_admin": False,
                    "hidden_reason": "",
                }
            )
        rows = self._claim(Kind.CHAPTER, rows)
        with transaction.atomic():
            self._count_kept_hits("chapters", Chapter, {r["id"]: r["hits"] for r in rows})
            upsert_rows(
                Chapter, rows, keep=("hidden_by_admin", "hidden_reason"), merged=CHAPTER_MERGED
            )
            self._written(Kind.CHAPTER, rows)
        self.report.imported["chapters"] += len(rows)
        reset_queries()  # DEBUG keeps every query (10 MB each here) otherwise

    def _write_reviews(self, rows: list[Row]) -> None:
        comments, responses = [], []
        for row in rows:
            built = self._guarded("reviews", row, "reviewid", self._review, row)
            if built is not None:
                comments.append(built[0])
                if built[1] is not None:
                    responses.append(built[1])
        with transaction.atomic():
            self._move_replies_out_of_the_way([c["id"] for c in comments])
            comments = self._claim(Kind.REVIEW, comments)
            self._written(Kind.REVIEW, comments)
            upsert_rows(
                Comment,
                comments,
                keep=(
                    "by_creator",
                    "status",
                    "hidden_by_admin",
                    "hidden_reason",
                    "deleted",
                    "edited_at",
                ),
            )
        claimed = {c["id"] for c in comments}
        # Replies are written after every review, once the id sequence is past them.
        self.responses += [r for r in responses if r[1] in claimed]
        self.report.imported["comments"] += len(comments)

    def _review(self, row: Row) -> tuple[dict, tuple | None] | None:
        """One eFiction review as a comment row, and the author's response in it."""
        reviewid = as_int(row.values.get("reviewid"))
        kind = self.plain(row, "type", "reviews", reviewid).upper() or "ST"
        item = as_int(row.values.get("item"))
        if kind != "ST":
            self.report.skip(
                "reviews", reviewid, "review of a series (Fanfold comments are on works)"
            )
            return None
        if item not in self.story_info:
            self.report.skip("reviews", reviewid, f"story {item} was not imported")
            return None
        body = self.text(row, "review", "reviews", reviewid).strip()
        if body == "No Review" or not body:
            self.report.skip("reviews", reviewid, "a score without a review")
            return None
        body, response = split_response(body)
        work_pk = self.story_info[item][0]
        chapid = as_int(row.values.get("chapid"))
        chapter_pk = (
            self.pk(Kind.CHAPTER, chapid) if self.known_chapters.get(chapid) == item else None
        )
        uid = as_int(row.values.get("uid"))
        member = uid in self.user_pk
        pk = self.pk(Kind.REVIEW, reviewid)
        created = as_date(row.values.get("date")) or self.story_info[item][2] or timezone.now()
        own = str(pk).zfill(PATH_WIDTH)
        comment = {
            "id": pk,
            "work_id": work_pk,
            "chapter_id": chapter_pk,
            "parent_id": None,
            "thread_id": pk,
            "depth": 0,
            "path": own,
            "user_id": self.user_pk[uid] if member else None,
            "pseud_id": self.pk(Kind.PSEUD, uid) if member else None,
            "guest_name": ""
            if member
            else (self.plain(row, "reviewer", "reviews", reviewid) or "Anonymous")[:60],
            "guest_email": "",
            "body": body,
            "body_html": str(render_text(efiction_story_html(body), "html", Profile.COMMENT)),
            "created_at": created,
            # Written once: a re-run leaves staff decisions and edits alone.
            "by_creator": False,
            "status": "published",
            "hidden_by_admin": False,
            "hidden_reason": "",
            "deleted": False,
            "edited_at": None,
        }
        reply = (reviewid, pk, work_pk, chapter_pk, response, created) if response else None
        return comment, reply

    def _move_replies_out_of_the_way(self, pks: list[int]) -> None:
        """A reply made by an earlier run from a response got the next free id; if a
        newer dump has a review with that id, the reply is removed here and written
        again (with a new id) after the reviews."""
        moved = LegacyId.objects.filter(kind=Kind.RESPONSE, object_id__in=pks)
        ids = list(moved.values_list("object_id", flat=True))
        if ids:
            Comment.objects.filter(pk__in=ids, by_creator=True, depth=1).delete()
            moved.delete()

    def _write_responses(self, responses: list) -> None:
        """The author's response becomes a reply by the work's first creator."""
        if not responses:
            return
        existing = dict(
            LegacyId.objects.filter(
                kind=Kind.RESPONSE, legacy_id__in=[r[0] for r in responses]
            ).values_list("legacy_id", "object_id")
        )
        first_creator = dict(
            Creatorship.objects.filter(
                work_id__in={r[2] for r in responses}, position=0
            ).values_list("work_id", "pseud_id")
        )
        pseud_user = dict(
            Pseud.objects.filter(pk__in=set(first_creator.values())).values_list("pk", "user_id")
        )
        for reviewid, parent_pk, work_pk, chapter_pk, text, created in responses:
            pseud_pk = first_creator.get(work_pk)
            fields = {
                "work_id": work_pk,
                "chapter_id": chapter_pk,
                "parent_id": parent_pk,
                "thread_id": parent_pk,
                "depth": 1,
                "user_id": None if pseud_pk is None else pseud_user.get(pseud_pk),
                "pseud_id": pseud_pk,
                "body": text,
                "body_html": render_text(efiction_story_html(text), "html", Profile.COMMENT),
                "by_creator": True,
                "created_at": created,
            }
            pk = existing.get(reviewid)
            if pk and Comment.objects.filter(pk=pk).update(**fields):
                continue
            reply = Comment.objects.create(**fields)
            reply.path = f"{str(parent_pk).zfill(PATH_WIDTH)}/{str(reply.pk).zfill(PATH_WIDTH)}"
            # created_at is auto_now_add: create() wrote the import's time whatever it was
            # given; a save of named fields writes the review's date as it stands.
            reply.created_at = created
            reply.save(update_fields=["path", "created_at"])
            LegacyId.objects.update_or_create(
                kind=Kind.RESPONSE, legacy_id=reviewid, defaults={"object_id": reply.pk}
            )
        self.report.imported["review responses"] += len(responses)
