"""Chapter text prepared in worker processes: decoding, cleaning, counting. No database here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from fanfold.efiction.decode import Decoder
from fanfold.efiction.importer.convert import efiction_story_html
from fanfold.markup.formats import render_text
from fanfold.markup.wordcount import count_words


@dataclass(slots=True)
class ChapterJob:
    """What a worker needs to prepare one chapter (raw bytes; picklable)."""

    chapid: int
    sid: int
    title: bytes
    notes: bytes
    endnotes: bytes
    text: bytes | None  # None: read `path` (store=files)
    path: str | None
    stored_words: int
    position: int
    validated: bool
    reads: int


@dataclass(slots=True)
class PreparedChapter:
    job: ChapterJob
    title: str
    body: str  # the source as stored for editing
    body_html: str
    words: int
    notes: str
    notes_html: str
    endnotes: str
    endnotes_html: str
    problem: str  # why the text is missing, or ""


GuessDelta = tuple[Counter, dict]


def prepare_chapters(jobs: list[ChapterJob]) -> tuple[list[PreparedChapter], GuessDelta]:
    """Decode, clean and count a batch of chapters. Runs in a worker process: no
    database access here, only text."""
    decoder = Decoder()
    out: list[PreparedChapter] = []
    for job in jobs:
        try:
            out.append(_prepare(job, decoder))
        except Exception as error:  # one strange chapter must not stop the batch
            out.append(_failed(job, f"text could not be prepared ({error!r})"))
    return out, (Counter(decoder.guesses), dict(decoder.examples))


def _failed(job: ChapterJob, problem: str) -> PreparedChapter:
    return PreparedChapter(job, f"Chapter {job.position}", "", "", 0, "", "", "", "", problem)


def _prepare(job: ChapterJob, decoder: Decoder) -> PreparedChapter:
    where = f"chapters {job.chapid}"
    problem = ""
    if job.text is not None:
        text = decoder.text(job.text, what="chapters.storytext", where=where)
    elif job.path is not None:
        try:
            data = Path(job.path).read_bytes()
        except OSError as error:
            data, problem = b"", f"cannot read {job.path}: {error.strerror}"
        parts = Path(job.path).parts
        text = decoder.file(data, where="stories/" + "/".join(parts[-2:]))
    else:
        text = ""
    source = efiction_story_html(text)
    body_html = str(render_text(source, "html"))
    notes = decoder.text(job.notes, what="chapters.notes", where=where)
    endnotes = decoder.text(job.endnotes, what="chapters.endnotes", where=where)
    return PreparedChapter(
        job=job,
        title=decoder.plain(job.title, what="chapters.title", where=where),
        body=source,
        body_html=body_html,
        words=count_words(body_html),
        notes=notes,
        notes_html=str(render_text(notes, "html")),
        endnotes=endnotes,
        endnotes_html=str(render_text(endnotes, "html")),
        problem=problem,
    )


class Done:
    """A finished result with the interface of multiprocessing's AsyncResult."""

    def __init__(self, value):
        self.value = value

    def ready(self) -> bool:
        return True

    def get(self):
        return self.value
