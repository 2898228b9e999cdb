"""Bring an eFiction 3.5 archive into Fanfold.

Two passes over the source (a dump file or a live database):

1. every table except chapters and reviews (authors, stories, series, the tag tables, …;
   a few MB even for a large archive) is read and written: site texts, tags (through the
   mapping), users and pen names, challenges, works with their creators and tags,
   series, favourites;
2. chapters and reviews stream through in batches (they are the bulk of the dump), each
   batch one transaction.

Then the works' derived values (chapters, words, counters) are recomputed in SQL, the
search documents are written and every filter index is told to rebuild.

Every row gets a fixed primary key (eFiction id + a per-kind offset chosen on the first
run, see `models.EfictionImport`) and is written with an upsert, so re-running the
import updates rows instead of duplicating them, and a run killed at any point is
finished by running it again: each batch is atomic and the next run rewrites everything."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
from collections import defaultdict
from pathlib import Path

from django.db import connections, transaction
from django.utils import timezone

from fanfold.efiction.decode import Decoder
from fanfold.efiction.importer.base import Options, Progress, _quiet, tune_session
from fanfold.efiction.importer.dropped import BY_TABLE
from fanfold.efiction.importer.finish import FinishMixin
from fanfold.efiction.importer.news import import_news_and_pages
from fanfold.efiction.importer.people import PeopleMixin
from fanfold.efiction.importer.run_constants import FIRST_PASS, MACHINERY, SECOND_PASS
from fanfold.efiction.importer.search_documents import SearchDocumentsMixin
from fanfold.efiction.importer.site import SiteMixin
from fanfold.efiction.importer.staff_roles import import_staff_roles
from fanfold.efiction.importer.stories import StoriesMixin
from fanfold.efiction.importer.text import TextMixin
from fanfold.efiction.importer.writes import (
    MODELS_BY_KIND,
)
from fanfold.efiction.mapping import (
    Legacy,
    default_mapping,
    read_mapping,
    write_mapping,
)
from fanfold.efiction.models import OFFSET_KINDS, EfictionImport
from fanfold.efiction.report import Report
from fanfold.efiction.source.base import Row, Source


class Importer(SiteMixin, PeopleMixin, StoriesMixin, TextMixin, SearchDocumentsMixin, FinishMixin):
    """An eFiction archive's import: the steps, in order, over one shared state."""

    def __init__(
        self,
        source: Source,
        options: Options | None = None,
        progress: Progress = _quiet,
        decoder: Decoder | None = None,
    ):
        self.source = source
        self.options = options or Options()
        self.progress = progress
        self.decoder = decoder or Decoder()
        self.report = Report()
        self.state: EfictionImport
        self.legacy = Legacy()
        self.tables: dict[str, list[Row]] = defaultdict(list)
        # Filled as the first pass is written, used by the second.
        self.user_pk: dict[int, int] = {}  # uid -> user pk (only authors that exist)
        self.story_info: dict[int, tuple[int, dt.datetime | None, dt.datetime | None]] = {}
        # sid -> eFiction's validated flag: 0 pending, 1 validated, 2 chapters auto-validated.
        self.story_validated: dict[int, int] = {}
        self.story_wordcount: dict[int, int] = {}
        self.settings: dict[str, object] = {}
        self.store_files = False
        self.file_index: dict[int, list[Path]] | None = None
        self.responses: list = []
        self.max_at_start: dict[str, int] = {}
        self.pool = None

    # -- entry point -----------------------------------------------------------------------
    def run(self) -> Report:
        # The worker pool is forked first, while this process is small: workers forked
        # later would each carry a copy of the first pass's rows.
        self.pool = self._start_pool()
        try:
            return self._run()
        finally:
            if self.pool is not None:
                self.pool.terminate()
                self.pool.join()
                self.pool = None

    def _start_pool(self):
        jobs = self._jobs()
        if jobs <= 1:
            return None
        # Forked workers must not share this process's database connections; each
        # opens its own when it first needs one.
        connections.close_all()
        return multiprocessing.get_context("fork").Pool(jobs)

    def _run(self) -> Report:
        started = time.monotonic()
        with self._phase("first pass (all but chapters and reviews)"):
            self._read_first_pass()
        self.legacy = self._legacy_vocabulary()
        entries = default_mapping(self.legacy)
        if self.options.mapping:
            entries = read_mapping(self.options.mapping, entries)
        if self.options.write_mapping:
            write_mapping(entries, self.options.write_mapping)
            self.report.note(f"tag mapping written to {self.options.write_mapping}")
            self.report.seconds = time.monotonic() - started
            return self.report
        self.state = self._start()
        with self._phase("site texts, tags, authors, stories, series, favourites"):
            self._import_site_texts()
            tag_ids = self._import_tags(entries)
            self._import_authors()
            import_staff_roles(
                prefs=self.tables["authorprefs"],
                user_pk=self.user_pk,
                category_tag={key[1]: pk for key, pk in tag_ids.items() if key[0] == "category"},
                report=self.report,
            )
            self._import_challenges(tag_ids)
            self._import_stories(tag_ids)
            self._import_series()
            self._import_favourites()
            news = import_news_and_pages(self)
            self.tables.clear()  # the first pass's rows are written; free them
        with self._phase("chapters and reviews"):
            self._second_pass()
            # Replies take fresh ids: move the id sequences past every imported id first.
            self._reset_sequences()
            for start in range(0, len(self.responses), self.options.batch_size):
                with transaction.atomic():
                    self._write_responses(self.responses[start : start + self.options.batch_size])
            news.write_comments()
        self._finish()
        self.report.seconds = time.monotonic() - started
        self.report.source_problems = list(self.source.problems)
        self.report.encodings = [
            (what, enc, n, self.decoder.examples.get((what, enc), ""))
            for (what, enc), n in sorted(self.decoder.guesses.items())
        ]
        EfictionImport.objects.filter(pk=1).update(
            finished_at=timezone.now(), report=self.report.as_dict()
        )
        return self.report

    # -- first pass ---------------------------------------------------------------------
    def _read_first_pass(self) -> None:
        machinery = sorted(MACHINERY & self.source.tables())
        if machinery:
            self.report.note(
                "eFiction's own site machinery has no counterpart here and was not read: "
                + ", ".join(machinery)
            )
        # Tables read only to name what they held in the report.
        counted = set(BY_TABLE) - set(FIRST_PASS) - set(SECOND_PASS)
        tables = (*FIRST_PASS, *sorted(counted))
        for row in self.source.rows(tables, progress=self._bytes_progress("reading")):
            self.report.read[row.table] += 1
            self._note_dropped(row)
            if row.table not in counted:
                self.tables[row.table].append(row)

    def _start(self) -> EfictionImport:
        """The import record, with the id offsets fixed on the first run."""
        tune_session()
        with transaction.atomic():
            state = EfictionImport.objects.select_for_update().filter(pk=1).first()
            if state is None:
                offsets = {}
                for kind in OFFSET_KINDS:
                    model = MODELS_BY_KIND[kind]
                    top = model._default_manager.order_by("-pk").values_list("pk", flat=True)
                    offsets[kind] = int(top.first() or 0)
                state = EfictionImport.objects.create(
                    pk=1,
                    source=self.source.description[:500],
                    prefix=self.source.prefix,
                    offsets=offsets,
                    started_at=timezone.now(),
                )
                moved = {k: v for k, v in offsets.items() if v}
                if moved:
                    self.report.note(
                        "the archive already had content, so imported ids are shifted: "
                        + ", ".join(f"{k} +{v}" for k, v in moved.items())
                        + " (old eFiction links still work)"
                    )
            for kind in OFFSET_KINDS:
                top = MODELS_BY_KIND[kind]._default_manager.order_by("-pk")
                self.max_at_start[kind] = int(top.values_list("pk", flat=True).first() or 0)
            state.runs += 1
            state.source = self.source.description[:500]
            state.save(update_fields=["runs", "source"])
        return state
