"""Turning eFiction's stored values (bytes, id lists, dates, story HTML) into Fanfold's."""

from __future__ import annotations

import datetime as dt
import re

_ZERO_DATE = re.compile(rb"^0000-00-00")


_HAS_BREAKS = re.compile(r"<\s*(?:p|br)\b", re.I)


_BLOCK_TAG = re.compile(r"<\s*(?:div|h[1-6]|li|blockquote|pre|table|hr|center)\b", re.I)


_RESPONSE = re.compile(
    r"(?:<br\s*/?>\s*){1,2}<i>\s*Author'?s Response:\s*(?P<text>.*?)\s*</i>\s*$",
    re.S | re.I,
)


def as_bytes(value: object) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    return str(value).encode()


def as_int(value: object, default: int = 0) -> int:
    if value is None:
        return default
    if isinstance(value, int | float):
        return int(value)
    try:
        return int(as_bytes(value).strip() or default)
    except (TypeError, ValueError):
        return default


def id_list(value: object) -> list[int]:
    """eFiction's comma-separated id lists ("3,12,", "-1", "")."""
    if value is None:
        return []
    if isinstance(value, int):
        return [value] if value > 0 else []
    out = []
    for part in as_bytes(value).split(b","):
        part = part.strip()
        if part.lstrip(b"-").isdigit() and int(part) > 0:
            out.append(int(part))
    return list(dict.fromkeys(out))


def as_date(value: object) -> dt.datetime | None:
    """eFiction 3.5 stores DATETIME (server local time, taken as UTC); 3.5.6+ stores
    Unix time. Zero dates mean "unknown"."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, tz=dt.UTC) if value > 0 else None
    raw = as_bytes(value).strip()
    if not raw or _ZERO_DATE.match(raw):
        return None
    if raw.isdigit():
        return dt.datetime.fromtimestamp(int(raw), tz=dt.UTC) if int(raw) > 0 else None
    text = raw.decode("ascii", "replace")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    return None


# Columns eFiction 3.5 stores with one level of escaping more than their INSERT undid:
# series.php runs a series' title and summary through escapestring() (MySQL's
# mysql_real_escape_string) and then addslashes(), so `Don't` sits in the table (and in
# every dump) as `Don\'t` and a line break as the two characters `\n`, and
# viewseries.php shows them through stripslashes(). Every other column is escaped once
# for its own query and so stored as typed: challenges (modules/challenges/
# challenges.php), news (admin/news.php), messages and custom pages (admin/messages.php,
# custpages.php), bios and profile fields (user/editbio.php), reviews and responses
# (reviews.php, user/revres.php), stories and chapter notes (stories.php). Read in the
# 3.5.3, 3.5.5 and 3.5.8 sources; those columns keep their backslashes untouched.
STORED_ESCAPED: frozenset[tuple[str, str]] = frozenset({("series", "title"), ("series", "summary")})

# What mysql_real_escape_string writes after a backslash, and the character it stood for.
# NUL is dropped rather than restored: PostgreSQL text cannot hold it.
_UNESCAPED = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "Z": "\x1a", "0": ""}
_ESCAPE = re.compile(r"\\(.)", re.S)


def stored_text(table: str, column: str, text: str) -> str:
    """The text of an eFiction column as its writer typed it: the extra escaping undone
    in the columns of STORED_ESCAPED, everything else as it is."""
    if (table, column) not in STORED_ESCAPED or "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: _UNESCAPED.get(m.group(1), m.group(0)), text)


def efiction_story_html(text: str) -> str:
    """eFiction showed text that has no <p> or <br> with its newlines as line breaks.

    Text with no block elements at all is left as it is: Fanfold's HTML cleaning turns
    it into paragraphs (blank lines) with line breaks (single newlines), which reads the
    same. Text with blocks (a <div>, a <blockquote>) but no breaks gets eFiction's rule
    literally, since cleaning would otherwise run its lines together.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _HAS_BREAKS.search(text) or not _BLOCK_TAG.search(text):
        return text
    return text.replace("\n", "<br />\n")


_PHP_DATE = {
    "d": "%d",
    "j": "%-d",
    "m": "%m",
    "n": "%-m",
    "y": "%y",
    "Y": "%Y",
    "M": "%b",
    "F": "%B",
    "D": "%a",
    "l": "%A",
    "H": "%H",
    "G": "%-H",
    "i": "%M",
    "s": "%S",
    "a": "%p",
    "A": "%p",
    "h": "%I",
    "g": "%-I",
}


def php_date_format(php: str) -> str:
    """eFiction's `dateformat` (PHP date() letters, e.g. "d/m/y") as strftime; "" when it
    uses a letter strftime has no match for (the default format then applies)."""
    out = []
    escaped = False
    for char in php.strip():
        if escaped:
            out.append(char.replace("%", "%%"))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in _PHP_DATE:
            out.append(_PHP_DATE[char])
        elif char.isalpha():
            return ""
        else:
            out.append(char.replace("%", "%%"))
    return "".join(out)


def split_response(review_html: str) -> tuple[str, str]:
    """eFiction appends the author's reply inside the review; split it back out."""
    match = _RESPONSE.search(review_html)
    if not match:
        return review_html, ""
    return review_html[: match.start()].rstrip(), match.group("text").strip()
