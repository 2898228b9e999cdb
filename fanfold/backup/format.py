"""The archive file: gzip-compressed JSON lines (docs/backup-format.md is the spec).

    {"format": "fanfold-archive", "version": 1, ...}          header
    {"table": "works.work", "columns": [...], "rows": 120}    a table begins
    [1, "A title", ...]                                        one row per line
    {"end": "works.work", "rows": 120}                        the table ends
    {"file": "covers/1.png", "size": 2048, "chunks": 1}       a media file, then its
    "iVBORw0KGgo..."                                           base64 chunks, one per line
    {"end-archive": true, "tables": 52, "rows": 9120, "files": 0}

Every line is one JSON value, so a reader needs one line in memory at a time. The
trailer tells a complete file from a cut one even when the cut falls between lines.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

MAGIC = "fanfold-archive"
# Raise when a reader of the old version could not read the new files correctly; a
# reader refuses any version it does not know (older ones included, until someone
# writes the conversion).
VERSION = 1
READS = {1}
MEDIA_CHUNK = 1 << 20  # bytes of a media file per line, before base64
# gzip level 1: a fifth of level 6's CPU time on chapter text for a file about a quarter
# bigger (measured on the eFiction benchmark archive); the export runs beside the site.
LEVEL = 1


class ArchiveError(Exception):
    """The file is not an archive this Fanfold can restore; the message says why."""


def dumps(value: Any) -> bytes:
    # Compact and key-sorted: two exports of the same rows are the same bytes.
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
        + b"\n"
    )


class Writer:
    """Writes lines to FILE.partial and renames it to FILE when closed without error,
    so an export that stops half-way never leaves a file that looks finished."""

    def __init__(self, path: Path, level: int = LEVEL) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self._raw: IO[bytes] = open(self.partial, "wb")  # noqa: SIM115 (closed in close())
        # mtime=0: the gzip header carries no date, so equal contents are equal files.
        self._gz = gzip.GzipFile(fileobj=self._raw, mode="wb", compresslevel=level, mtime=0)

    def line(self, value: Any) -> None:
        self._gz.write(dumps(value))

    def close(self, ok: bool) -> None:
        self._gz.close()
        self._raw.close()
        if ok:
            self.partial.replace(self.path)
        else:
            self.partial.unlink(missing_ok=True)


def read_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, value) for every line, with damage reported as an ArchiveError."""
    number = 0
    try:
        with gzip.open(path, "rb") as stream:
            for number, raw in enumerate(stream, 1):
                try:
                    yield number, json.loads(raw)
                except ValueError as error:
                    raise ArchiveError(
                        f"{path}: line {number} is not valid JSON ({error})."
                    ) from None
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as error:
        if isinstance(error, FileNotFoundError):
            raise ArchiveError(f"{path}: no such file.") from None
        if number == 0 and not isinstance(error, EOFError):
            raise ArchiveError(
                f"{path} is not a Fanfold archive file (not gzip: {error})."
            ) from None
        raise ArchiveError(
            f"{path} is cut off or damaged after line {number} ({error}); "
            "nothing was restored from it."
        ) from None


def check_header(path: Path, header: Any) -> dict:
    if not isinstance(header, dict) or header.get("format") != MAGIC:
        raise ArchiveError(f"{path} is not a Fanfold archive file (no archive header).")
    version = header.get("version")
    if version not in READS:
        made_by = header.get("fanfold", "an unknown version")
        newer = isinstance(version, int) and version > max(READS)
        raise ArchiveError(
            f"{path} is in archive format {version} (written by Fanfold {made_by}); this "
            f"Fanfold reads format {', '.join(map(str, sorted(READS)))}. "
            + (
                "Upgrade Fanfold to restore it."
                if newer
                else "Restore it with the Fanfold version that wrote it, then export again."
            )
        )
    return header
