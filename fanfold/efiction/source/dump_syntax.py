"""What the text of a MySQL dump looks like, as compiled patterns over bytes: statement
heads, gaps between statements, quoted and numeric values, and the escapes inside
strings; and turning a matched value into Python. Kept apart from the reader in `dump`,
which walks the file with these patterns, so that the grammar reads on its own.
"""

import codecs
import re

from fanfold.efiction.source.base import Value

# Possessive quantifiers (*+) keep the string patterns from backtracking,
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
