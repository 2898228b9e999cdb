"""The generated cover: title, creators and fandoms on a colour picked from the title."""

from __future__ import annotations

import hashlib
import textwrap
import unicodedata
from dataclasses import dataclass

from django.template.loader import render_to_string

from fanfold.exports.book import Book

# Dark enough for white text; one is picked per book so shelves are not uniform.
_BACKGROUNDS = ["#2f4858", "#5b3758", "#33658a", "#3d5a45", "#6b4226", "#4a4e69", "#7a3b3b"]


@dataclass(frozen=True)
class Line:
    y: int
    text: str


def _width(text: str) -> int:
    # East Asian wide characters take two columns, so a Japanese title wraps sooner.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrap(text: str, columns: int, limit: int) -> list[str]:
    if _width(text) == len(text):
        lines = textwrap.wrap(text, columns) or [""]
    else:
        lines, current = [], ""
        for char in text:
            if _width(current + char) > columns:
                lines.append(current)
                current = ""
            current += char
        lines.append(current)
    if len(lines) > limit:
        lines = [*lines[: limit - 1], lines[limit - 1][: max(columns - 1, 1)] + "…"]
    return lines


def _place(lines: list[str], top: int, step: int) -> list[Line]:
    return [Line(top + i * step, text) for i, text in enumerate(lines)]


def cover_svg(book: Book) -> bytes:
    """An SVG cover from the book's metadata (no fonts or images to ship)."""
    title = _wrap(book.title, 22, 5)
    creators = _wrap(", ".join(book.creators), 34, 2)
    fandoms = [
        name for p in book.parts for label, names in p.tags if "Fandom" in label for name in names
    ]
    fandom_lines = _wrap(", ".join(dict.fromkeys(fandoms)), 44, 3)
    title_top = 260
    creator_top = title_top + len(title) * 56 + 50
    digest = hashlib.sha256(book.identifier.encode()).digest()
    context = {
        "book": book,
        "background": _BACKGROUNDS[digest[0] % len(_BACKGROUNDS)],
        "title_size": 44,
        "title_lines": _place(title, title_top, 56),
        "creator_lines": _place(creators, creator_top, 40),
        "fandom_lines": _place(fandom_lines, creator_top + len(creators) * 40 + 60, 30),
    }
    return render_to_string("exports/cover.svg", context).encode()
