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


# job, title, source text, body html, words, notes, endnotes, problem (or "")
PreparedChapter = tuple[ChapterJob, str, str, str, int, str, str, str]


GuessDelta = tuple[Counter, dict]


def prepare_chapters(jobs: list[ChapterJob]) -> tuple[list[PreparedChapter], GuessDelta]:
    """Decode, clean and count a batch of chapters. Runs in a worker process: no
    database access here, only text."""
    decoder = Decoder()
    out: list[PreparedChapter] = []
    for job in jobs:
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
        body_html = render_text(source, "html")
        out.append(
            (
                job,
                decoder.plain(job.title, what="chapters.title", where=where),
                source,
                str(body_html),
                count_words(body_html),
                decoder.text(job.notes, what="chapters.notes", where=where),
                decoder.text(job.endnotes, what="chapters.endnotes", where=where),
                problem,
            )
        )
    return out, (Counter(decoder.guesses), dict(decoder.examples))


class Done:
    """A finished result with the interface of multiprocessing's AsyncResult."""

    def __init__(self, value):
        self.value = value

    def ready(self) -> bool:
        return True

    def get(self):
        return self.value
