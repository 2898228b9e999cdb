"""Read the rows of an eFiction archive from a SQL dump or a live MySQL database.

Both readers hand out strings as the raw bytes the database held: eFiction declared
latin1 but stored whatever the browser sent (UTF-8, cp1252, Shift_JIS...), so only the
importer, field by field, can decide how to decode them (see `decode.py`).

The dump reader never holds the whole file: it streams it in chunks, finds statement
ends with compiled regular expressions over bytes, and builds values only for the tables
it was asked for, so a multi-gigabyte dump parses at tens of MB/s in flat memory.
"""

import codecs
import gzip
import os
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import IO, Any, Protocol, cast
from urllib.parse import unquote, urlsplit

from fanfold.efiction import schema

Value = bytes | int | float | None


@dataclass(slots=True)
class Row:
    table: str  # base name without prefix: "stories", "chapters", ...
    values: dict[str, Value]
    where: str  # "dump.sql:1234" or "mysql fanfiction_stories"


class SourceError(Exception):
    """The input cannot be read at all (missing, not SQL, no connection, unclear prefix)."""


class Source(Protocol):
    description: str
    prefix: str
    total: int | None
    problems: list[str]

    def tables(self) -> set[str]: ...

    def rows(
        self, tables: Collection[str], progress: Callable[[int], None] | None = None
    ) -> Iterator[Row]: ...


def open_source(path_or_url: str, *, prefix: str | None = None) -> Source:
    """A reader for `mysql://user:pass@host[:port]/db` or a dump file (.sql, .sql.gz)."""
    if path_or_url.startswith("mysql://"):
        return MySQLSource(path_or_url, prefix=prefix)
    return DumpSource(path_or_url, prefix=prefix)


def detect_prefix(names: Collection[str], prefix: str | None) -> str:
    """The table prefix: given, or everything before `stories` in a table that has a
    sibling `…chapters` table. Raises SourceError when none or several fit, or when the
    given prefix has no stories table."""
    candidates = sorted(
        {n[: -len("stories")] for n in names if n.endswith("stories")}
        & {n[: -len("chapters")] for n in names if n.endswith("chapters")}
    )
    listed = ", ".join(repr(c) for c in candidates) or "none"
    if prefix is not None:
        if prefix + "stories" not in names:
            raise SourceError(f"no {prefix}stories table; eFiction prefixes found: {listed}")
        return prefix
    if not candidates:
        raise SourceError("no eFiction tables found (no …stories table beside a …chapters table)")
    if len(candidates) > 1:
        raise SourceError(f"several eFiction archives in one source, prefixes {listed}; pass one")
    return candidates[0]


def table_map(names: Collection[str], prefix: str) -> dict[str, str]:
    """Full table name -> base name for the tables of the archive with `prefix`.

    eFiction keeps its settings under a prefix of their own ($settingsprefix in
    config.php, often different from the tables' one): when `prefix + "settings"` is
    missing, the one table named `…fanfiction_settings` or `…settings` stands in for it.
    """
    found = {n: n[len(prefix) :] for n in names if n.startswith(prefix) and len(n) > len(prefix)}
    if "settings" not in found.values():
        others = [n for n in names if n.endswith("fanfiction_settings")] or [
            n for n in names if n.endswith("settings")
        ]
        if len(others) == 1:
            found[others[0]] = "settings"
    return found


# ---------------------------------------------------------------------------------------
# Dump parsing. Possessive quantifiers (*+) keep the string patterns from backtracking,
# which is what makes a failed match at a chunk end cheap.

_SQ = rb"'[^'\\]*+(?:(?:\\[\s\S]|'')[^'\\]*+)*+'"
_DQ = rb'"[^"\\]*+(?:(?:\\[\s\S]|"")[^"\\]*+)*+"'
# Whitespace and comments between statements (and the `/*!40101 ... */` conditionals,
# whose settings we do not need: we never interpret the bytes).
_GAP = re.compile(rb"(?:\s++|--[^\n]*+|#[^\n]*+|/\*[\s\S]*?\*/|;)*+")
# Everything up to a statement's closing semicolon, strings skipped whole.
_BODY = re.compile(rb"(?:[^'\";]++|" + _SQ + rb"|" + _DQ + rb")*+")
_INSERT = re.compile(
    rb"(?:INSERT|REPLACE)\s++(?:(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE)\s++)*+"
    rb"(?:INTO\s++)?(?:`?[\w$]+`?\.)?`?([\w$]+)`?\s*+(\([^)]*\))?\s*+VALUES?\s*+",
    re.I,
)
_CREATE = re.compile(
    rb"CREATE\s++(?:TEMPORARY\s++)?TABLE\s++(?:IF\s++NOT\s++EXISTS\s++)?"
    rb"(?:`?[\w$]+`?\.)?`?([\w$]+)`?\s*+\(",
    re.I,
)
_INSERT_LIKE = re.compile(rb"(?:INSERT|REPLACE)\b", re.I)
_KEYWORD = re.compile(
    rb"(?:ALTER|BEGIN|COMMIT|CREATE|DELETE|DROP|FLUSH|GRANT|LOCK|RENAME|ROLLBACK|SET|SHOW"
    rb"|START|TRUNCATE|UNLOCK|UPDATE|USE|DELIMITER)\b",
    re.I,
)
# One value and the separator after it. Groups: 1 single-quoted, 2 double-quoted,
# 3 NULL, 4 integer, 5 other number, 6 0x hex, 7 X'' hex, 8 separator.
_VALUE = re.compile(
    rb"\s*+(?:_[A-Za-z0-9]++\s*+)?(?:'([^'\\]*+(?:(?:\\[\s\S]|'')[^'\\]*+)*+)'"
    rb'|"([^"\\]*+(?:(?:\\[\s\S]|"")[^"\\]*+)*+)"'
    rb"|(NULL)|([-+]?\d++)(?![\d.eE])|([-+]?(?:\d++\.?\d*+|\.\d++)(?:[eE][-+]?\d++)?)"
    rb"|0x([0-9A-Fa-f]*+)|[xX]'([0-9A-Fa-f]*+)')\s*+([,)])",
    re.I,
)
# What a value cut off by the end of the read buffer can look like.
_PARTIAL = re.compile(
    rb"\s*+(?:_[A-Za-z0-9]*+\s*+)?(?:'[^'\\]*+(?:(?:\\[\s\S]|'')[^'\\]*+)*+(?:\\|')?"
    rb'|"[^"\\]*+(?:(?:\\[\s\S]|"")[^"\\]*+)*+(?:\\|")?'
    rb"|[xX]'[0-9A-Fa-f]*+'?|[\w.+-]*+)\s*+\Z"
)
_ROW_OPEN = re.compile(rb"\s*+\(")
_AFTER_ROW = re.compile(rb"\s*+([,;])")
# Inside '…' only '' is a quote; inside "…" only "".
_UNESCAPE_SQ = re.compile(rb"\\[\s\S]|''")
_UNESCAPE_DQ = re.compile(rb'\\[\s\S]|""')
_ESCAPES = {b"\\" + bytes([c]): bytes([c]) for c in range(256)} | {
    b"\\0": b"\0",
    b"\\b": b"\b",
    b"\\n": b"\n",
    b"\\r": b"\r",
    b"\\t": b"\t",
    b"\\Z": b"\x1a",
    # MySQL keeps the backslash of \% and \_ (they only mean something in LIKE).
    b"\\%": b"\\%",
    b"\\_": b"\\_",
    b"''": b"'",
    b'""': b'"',
}


# Any escape besides \n \r \t \' \" \\ (a false alarm after \\ only costs speed).
_RARE_ESCAPE = re.compile(rb"\\[^nrt'\"\\]")


def _escape(m: re.Match[bytes]) -> bytes:
    return _ESCAPES[m.group(0)]


CHUNK = 4 * 1024 * 1024
_LOOKAHEAD = 64 * 1024


def _unescape(raw: bytes, quote: bytes, pattern: re.Pattern[bytes]) -> bytes:
    # Most values have nothing to unescape: skip the substitution (and its copy).
    if b"\\" not in raw:
        return pattern.sub(_escape, raw) if quote in raw else raw
    if quote not in raw and not _RARE_ESCAPE.search(raw):
        # Only the escapes mysqldump writes in running text (\n \r \t \' \" \\): they
        # mean the same to Python's bytes-literal decoder, which runs at C speed where
        # the pattern makes a Python call per escape (≈30 MB/s on dialogue-heavy text).
        return codecs.escape_decode(raw)[0]
    return pattern.sub(_escape, raw)


def _value(m: re.Match[bytes]) -> Value:
    sq, dq, null, integer, number, hex0x, hexx = m.group(1, 2, 3, 4, 5, 6, 7)
    if sq is not None:
        return _unescape(sq, b"''", _UNESCAPE_SQ)
    if dq is not None:
        return _unescape(dq, b'""', _UNESCAPE_DQ)
    if integer is not None:
        return int(integer)
    if null is not None:
        return None
    if number is not None:
        return float(number)
    return bytes.fromhex((hex0x if hex0x is not None else hexx).decode())


def _column_names(body: bytes) -> list[str]:
    """Column names of a CREATE TABLE body (between the outer parentheses)."""
    flat = re.sub(_SQ + rb"|" + _DQ, b"''", body)
    parts, depth, start = [], 0, 0
    for i, c in enumerate(flat):
        if c == 40:  # (
            depth += 1
        elif c == 41:  # )
            depth -= 1
        elif c == 44 and depth == 0:  # ,
            parts.append(flat[start:i])
            start = i + 1
    parts.append(flat[start:])
    names = []
    for part in parts:
        m = re.match(rb"\s*(`([^`]+)`|(\w+))", part)
        if not m:
            continue
        if m.group(3) and m.group(3).upper() in _NOT_COLUMNS:
            continue
        names.append((m.group(2) or m.group(3)).decode("utf-8", "replace"))
    return names


_NOT_COLUMNS = {
    b"PRIMARY",
    b"KEY",
    b"UNIQUE",
    b"INDEX",
    b"FULLTEXT",
    b"SPATIAL",
    b"CONSTRAINT",
    b"FOREIGN",
    b"CHECK",
    b"PERIOD",
}


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


def parse_mysql_url(url: str) -> dict[str, object]:
    """Connection keywords for PyMySQL from `mysql://user:pass@host[:port]/db`."""
    parts = urlsplit(url)
    db = unquote(parts.path.lstrip("/"))
    if parts.scheme != "mysql" or not db:
        raise SourceError(f"not a mysql://user:pass@host[:port]/db address: {url}")
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 3306,
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "database": db,
    }


class MySQLSource:
    """Rows from a live eFiction database, as raw bytes whatever the declared charset."""

    def __init__(self, url: str, *, prefix: str | None = None) -> None:
        self._params = parse_mysql_url(url)
        p = self._params
        port = "" if p["port"] == 3306 else f":{p['port']}"
        self.description = f"mysql://{p['user']}@{p['host']}{port}/{p['database']}"
        self.total: int | None = None
        self.problems: list[str] = []
        with self._connect() as conn, conn.cursor() as cur:
            cur.execute("SHOW TABLES")
            self._names = [bytes(name).decode("utf-8", "replace") for (name,) in cur.fetchall()]
        self.prefix = detect_prefix(self._names, prefix)

    def tables(self) -> set[str]:
        return set(table_map(self._names, self.prefix).values())

    def rows(
        self, tables: Collection[str], progress: Callable[[int], None] | None = None
    ) -> Iterator[Row]:
        import pymysql.cursors

        names = table_map(self._names, self.prefix)
        with self._connect() as conn:
            for name, base in names.items():
                if base not in tables:
                    continue
                where = f"mysql {name}"
                # Unbuffered: a chapters table of several GB streams row by row.
                with conn.cursor(pymysql.cursors.SSCursor) as cur:
                    # The name comes from SHOW TABLES, not from the user.
                    cur.execute(f"SELECT * FROM `{name}`")  # noqa: S608
                    cols = [d[0] for d in cur.description]
                    for record in cur:
                        yield Row(base, dict(zip(cols, record, strict=True)), where)

    def _connect(self) -> Any:
        import pymysql
        import pymysql.converters
        from pymysql.constants import FIELD_TYPE

        # Only numbers are converted; strings, dates and decimals stay the bytes the
        # server holds, like the dump reader's quoted values.
        numbers: dict[Any, Any] = {
            t: int
            for t in (
                FIELD_TYPE.TINY,
                FIELD_TYPE.SHORT,
                FIELD_TYPE.LONG,
                FIELD_TYPE.INT24,
                FIELD_TYPE.LONGLONG,
                FIELD_TYPE.YEAR,
            )
        } | {FIELD_TYPE.FLOAT: float, FIELD_TYPE.DOUBLE: float}
        # PyMySQL takes encoders (Python type keys) and decoders (field type keys) from
        # one dict: keep its encoders, replace its decoders.
        conv = {k: v for k, v in pymysql.converters.conversions.items() if not isinstance(k, int)}
        try:
            conn = pymysql.connect(
                **self._params,
                # PyMySQL cannot name "binary" at the handshake; SET NAMES below.
                charset="latin1",
                use_unicode=False,
                conv=conv | numbers,
                connect_timeout=10,
            )
        except pymysql.MySQLError as e:
            raise SourceError(f"cannot connect to {self.description}: {e}") from e
        with conn.cursor() as cur:
            # No conversion on the way out: latin1 columns holding UTF-8 or cp1252 bytes
            # come back exactly as stored.
            cur.execute("SET NAMES binary")
        return conn
