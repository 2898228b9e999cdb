"""Rows from a mysqldump or eFiction admin-backup file (plain or gzipped).

The dump reader never holds the whole file: it streams it in chunks, finds statement
ends with compiled regular expressions over bytes (`dump_syntax`), and builds values only
for the tables it was asked for, so a multi-gigabyte dump parses at tens of MB/s in flat
memory.
"""

import gzip
import os
import re
from collections.abc import Callable, Collection, Iterator
from typing import IO, cast

from fanfold.efiction import schema
from fanfold.efiction.source.base import Row, SourceError, Value, detect_prefix, table_map
from fanfold.efiction.source.dump_syntax import (
    _AFTER_ROW,
    _BODY,
    _CREATE,
    _GAP,
    _INSERT,
    _INSERT_LIKE,
    _KEYWORD,
    _PARTIAL,
    _ROW_OPEN,
    _VALUE,
    _column_names,
    _value,
)

CHUNK = 4 * 1024 * 1024
_LOOKAHEAD = 64 * 1024


class _Reader:
    """A window on the dump: `buf[pos:]` is unread; `more()` appends the next chunk and
    drops what was consumed (everything before `pos`, or before `keep` when set)."""

    def __init__(self, fh: IO[bytes], chunk: int) -> None:
        self.fh = fh
        self.chunk = chunk
        self.buf = b""
        self.pos = 0
        self.keep: int | None = None
        self.eof = False
        self.offset = 0  # file offset of buf[0]
        self.line = 1  # line number at buf[counted]
        self.counted = 0

    def more(self) -> bool:
        """Read the next chunk. False at end of file."""
        if self.eof:
            return False
        data = self.fh.read(self.chunk)
        if not data:
            self.eof = True
            return False
        cut = self.pos if self.keep is None else min(self.keep, self.pos)
        self.line_at(cut)
        self.counted = 0
        self.offset += cut
        if self.keep is not None:
            self.keep -= cut
        self.buf = self.buf[cut:] + data
        self.pos -= cut
        return True

    def line_at(self, index: int) -> int:
        """Line number of `buf[index]` (counting from the last index asked for)."""
        if index >= self.counted:
            self.line += self.buf.count(b"\n", self.counted, index)
        else:
            self.line -= self.buf.count(b"\n", index, self.counted)
        self.counted = index
        return self.line


class DumpSource:
    """Rows from a mysqldump or eFiction admin-backup file (plain or gzipped)."""

    def __init__(self, path: str, *, prefix: str | None = None, chunk: int = CHUNK) -> None:
        if not os.path.isfile(path):
            raise SourceError(f"no such file: {path}")
        self.path = path
        self.name = os.path.basename(path)
        self.chunk = chunk
        # Enough to hold a statement's head (INSERT ... column list ... VALUES); small
        # with small test chunks so that chunk boundaries really fall inside statements.
        self._lookahead = min(_LOOKAHEAD, max(chunk, 512))
        self.description = f"dump {path}"
        self.total: int | None = os.path.getsize(path)
        self.problems: list[str] = []
        self._seen: set[str] = set()
        self._names: dict[str, None] = {}  # every table named, in order
        self._quiet = True  # the opening scan leaves problems to the real passes
        self._scan()
        self._quiet = False
        self.prefix = detect_prefix(self._names, prefix)

    def tables(self) -> set[str]:
        return set(table_map(self._names, self.prefix).values())

    def rows(
        self, tables: Collection[str], progress: Callable[[int], None] | None = None
    ) -> Iterator[Row]:
        wanted = {n: t for n, t in table_map(self._names, self.prefix).items() if t in tables}
        return self._pass(wanted, progress)

    def statements(self) -> Iterator[tuple[int, bytes]]:
        """(line, text) of every statement, comments dropped: for loading a fixture
        into a real database in tests."""
        with self._open() as fh:
            r = _Reader(fh, self.chunk)
            while (start := self._next_statement(r)) is not None:
                line = r.line_at(start)
                r.keep = start
                if self._skip_body(r) is None:
                    return
                yield line, r.buf[r.keep : r.pos]
                r.keep = None
                r.pos += 1

    # -- passes ---------------------------------------------------------------------------

    def _open(self) -> IO[bytes]:
        try:
            with open(self.path, "rb") as probe:
                gz = probe.read(2) == b"\x1f\x8b"
            return cast(IO[bytes], gzip.open(self.path, "rb")) if gz else open(self.path, "rb")
        except OSError as e:
            raise SourceError(f"cannot read {self.path}: {e}") from e

    def _problem(self, line: int, text: str) -> None:
        if self._quiet:
            return
        message = f"{self.name}:{line}: {text}"
        if message not in self._seen:
            self._seen.add(message)
            self.problems.append(message)

    def _scan(self) -> None:
        """Find every table name (CREATE TABLE and INSERT) without building values."""
        for _ in self._pass({}, None):
            pass  # pragma: no cover - an empty `wanted` yields nothing
        if not self._names:
            raise SourceError(f"{self.path}: no CREATE TABLE or INSERT statements found")

    def _pass(
        self, wanted: dict[str, str], progress: Callable[[int], None] | None
    ) -> Iterator[Row]:
        columns: dict[str, list[str]] = {}
        try:
            fh = self._open()
            with fh:
                r = _Reader(fh, self.chunk)
                last_report = 0
                while (start := self._next_statement(r)) is not None:
                    if progress and r.offset + start - last_report >= 1 << 20:
                        last_report = r.offset + start
                        progress(last_report)
                    yield from self._statement(r, start, wanted, columns)
                if progress:
                    progress(r.offset + len(r.buf))
        except (OSError, EOFError, gzip.BadGzipFile) as e:
            raise SourceError(f"cannot read {self.path}: {e}") from e

    def _next_statement(self, r: _Reader) -> int | None:
        """Move past whitespace and comments; index of the next statement or None."""
        while True:
            m = _GAP.match(r.buf, r.pos)
            assert m is not None  # the pattern matches the empty string
            # A comment may go on in the next chunk, and a statement's head must be
            # whole to be recognised: keep some lookahead before deciding.
            if len(r.buf) - m.end() < self._lookahead and r.more():
                continue
            r.pos = m.end()
            return r.pos if r.pos < len(r.buf) else None

    def _statement(
        self, r: _Reader, start: int, wanted: dict[str, str], columns: dict[str, list[str]]
    ) -> Iterator[Row]:
        m = _INSERT.match(r.buf, start)
        if m:
            table = m.group(1).decode("utf-8", "replace")
            self._names.setdefault(table)
            if table not in wanted:
                self._finish(r, start)
                return
            listed = m.group(2)
            names = (
                [c.strip().strip(b"`").decode() for c in listed[1:-1].split(b",")]
                if listed
                else columns.get(table)
            )
            r.pos = m.end()
            yield from self._values(r, start, table, wanted[table], names)
            return
        m = _CREATE.match(r.buf, start)
        if m:
            table = m.group(1).decode("utf-8", "replace")
            self._names.setdefault(table)
            r.keep = m.end()
            if self._finish(r, start):
                body = r.buf[r.keep : r.pos - 1]
                columns[table] = _column_names(body.rsplit(b")", 1)[0])
            r.keep = None
            return
        if _INSERT_LIKE.match(r.buf, start):
            # INSERT ... SET or ... SELECT: no eFiction dump writes these.
            self._problem(r.line_at(start), "INSERT statement in a form not understood; skipped")
            self._finish(r, start)
            return
        if _KEYWORD.match(r.buf, start):
            self._finish(r, start)
            return
        # Not SQL: report the run of garbage once and resume at the next line.
        line = r.line_at(start)
        r.pos = start
        nl = r.buf.find(b"\n", r.pos)
        while nl < 0 and r.more():  # more() moves r.pos to the buffer's start
            nl = r.buf.find(b"\n", r.pos)
        end = len(r.buf) if nl < 0 else nl
        snippet = r.buf[r.pos : min(end, r.pos + 40)].decode("utf-8", "replace").strip()
        self._problem(line, f"text that is not a SQL statement skipped ({snippet!r})")
        r.pos = len(r.buf) if nl < 0 else nl + 1

    def _skip_body(self, r: _Reader) -> int | None:
        """Advance `r.pos` to the statement's closing semicolon; None if cut off."""
        while True:
            m = _BODY.match(r.buf, r.pos)
            assert m is not None
            r.pos = m.end()
            if r.pos < len(r.buf) and r.buf[r.pos] == 59:  # ;
                return r.pos
            if not r.more():
                return None

    def _finish(self, r: _Reader, start: int) -> bool:
        """Skip past the end of the statement at `start`; False if the file ends inside
        it (reported)."""
        line = r.line_at(start)
        if self._skip_body(r) is None:
            self._problem(line, "statement cut off at end of file")
            r.pos = len(r.buf)
            return False
        r.pos += 1
        return True

    def _values(
        self, r: _Reader, start: int, table: str, base: str, names: list[str] | None
    ) -> Iterator[Row]:
        line = r.line_at(start)
        while True:
            # Expect "(" to open a row.
            m = self._match(r, _ROW_OPEN)
            if m is None:
                self._broken(r, line, table)
                return
            r.pos = m.end()
            # Each row is located by its own line: the same as the statement's for
            # mysqldump, one line per row for Sequel Pro and phpMyAdmin dumps.
            line = r.line_at(m.end() - 1)
            values: list[Value] = []
            while True:
                v = self._match(r, _VALUE)
                if v is None:
                    self._broken(r, line, table)
                    return
                r.pos = v.end()
                values.append(_value(v))
                if v.group(8) == b")":
                    break
            row = self._row(base, values, names, line)
            if row is not None:
                yield Row(base, row, f"{self.name}:{line}")
            a = self._match(r, _AFTER_ROW)
            if a is None:
                if r.eof and r.pos >= len(r.buf):
                    return  # last statement without its semicolon
                self._broken(r, line, table)
                return
            r.pos = a.end()
            if a.group(1) == b";":
                return

    def _match(self, r: _Reader, pattern: re.Pattern[bytes]) -> re.Match[bytes] | None:
        """Match at `r.pos`, reading more when the buffer ends inside the token."""
        while True:
            m = pattern.match(r.buf, r.pos)
            if m is not None:
                return m
            if r.eof or not _PARTIAL.match(r.buf, r.pos):
                return None
            if not r.more():
                return None

    def _broken(self, r: _Reader, line: int, table: str) -> None:
        if r.eof and _PARTIAL.match(r.buf, r.pos):
            self._problem(line, "statement cut off at end of file")
            r.pos = len(r.buf)
            return
        self._problem(line, f"INSERT into {table} cannot be parsed; rest of statement skipped")
        self._finish(r, r.pos)

    def _row(
        self, table: str, values: list[Value], names: list[str] | None, line: int
    ) -> dict[str, Value] | None:
        cols = names if names is not None else schema.columns_for(table, len(values))
        if cols is None or len(cols) != len(values):
            if names is not None:
                expected = f"{len(names)} columns"
            else:
                counts = schema.expected_counts(table)
                expected = " or ".join(map(str, counts)) + " columns" if counts else "no columns"
            self._problem(line, f"{len(values)} values for {expected} of {table}; row skipped")
            return None
        return dict(zip(cols, values, strict=True))
