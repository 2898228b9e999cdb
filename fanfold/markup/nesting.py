"""Bounds on what makes an HTML parser slow, applied before nh3.

nh3's parser (html5ever), like every HTML5 parser, walks the stack of open elements for
many tags (is there a <p> in button scope, a <li> in list-item scope?) and re-opens the
unclosed formatting elements (<b>, <font>, … the "active formatting elements") in every
new block. Both are fine for anything people write and quadratic for text made to be
slow: 45,000 nested <div>s took 20 s, 4,000 paragraphs each opening a <b> of another
class 21 s (and 56 MB of output), one tag with 40,000 attributes 1 s.

One linear pass over the tags keeps a rough model of the parser's two lists (an end tag
closes everything opened inside it, a <p> or <li> closes the one before it) and leaves
out the start tags beyond these bounds, which no real text reaches. End tags are all
kept: the parser ignores the ones left without a start. The model sees every tag the
parser sees (a tag name runs to a space, "/" or ">", as the parser reads it) and more
(tags inside comments, quoted values and scripts), so its counts are never lower.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

MAX_DEPTH = 200
# Distinct unclosed formatting elements; the parser itself keeps at most three identical
# ones (same name and attributes), so a sloppy text that opens <i> in every paragraph and
# never closes it stays far below.
MAX_FORMATTING = 24
MAX_TAG_LENGTH = 2_000  # longer tags keep their name only

# Searched only up to the last ">", so every match attempt ends at a ">" and succeeds:
# no start position is scanned twice.
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)([^>]*)>")
_VOID = frozenset([
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img",
    "image", "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
])  # fmt: skip
FORMATTING = frozenset([
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong",
    "tt", "u",
])  # fmt: skip
_SCOPE = ("table", "td", "th", "caption", "button", "object", "marquee", "applet", "template")
_CLOSES_P = frozenset([
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir",
    "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hgroup", "hr", "li", "dd", "dt", "listing", "main",
    "menu", "nav", "ol", "p", "plaintext", "pre", "section", "summary", "table", "ul", "xmp",
])  # fmt: skip
# A start tag that closes an open element of the same family, unless a boundary
# element was opened after it: (family, boundaries).
_SIBLINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "li": (("li",), ("ul", "ol", *_SCOPE)),
    "dt": (("dt", "dd"), ("dl", *_SCOPE)),
    "dd": (("dt", "dd"), ("dl", *_SCOPE)),
    "td": (("td", "th"), ("tr", "table", "template")),
    "th": (("td", "th"), ("tr", "table", "template")),
    "tr": (("tr", "td", "th"), ("table", "template")),
    "option": (("option",), ("select", "datalist", "optgroup")),
    "optgroup": (("optgroup", "option"), ("select",)),
}
_P = (("p",), _SCOPE)


class _OpenElements:
    """The stack of open elements, with each name's positions for O(1) lookups."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.where: defaultdict[str, list[int]] = defaultdict(list)

    def push(self, name: str) -> None:
        self.where[name].append(len(self.names))
        self.names.append(name)

    def close(self, name: str) -> None:
        """Pop up to and including the innermost open `name`, if any."""
        if self.where[name]:
            self._pop_to(self.where[name][-1])

    def close_sibling(self, family: tuple[str, ...], boundaries: tuple[str, ...]) -> None:
        if not any(self.where[n] for n in family):
            return
        inner = max((self.where[n][-1] for n in family if self.where[n]), default=-1)
        limit = max((self.where[n][-1] for n in boundaries if self.where[n]), default=-1)
        if inner > limit:
            self._pop_to(inner)

    def _pop_to(self, index: int) -> None:
        while len(self.names) > index:
            self.where[self.names.pop()].pop()


class _Formatting:
    """The unclosed formatting elements, counted the way the parser keeps them."""

    def __init__(self) -> None:
        self.unclosed: defaultdict[str, list[str]] = defaultdict(list)
        self.copies: Counter[str] = Counter()
        self.kept = 0  # what the parser would keep: at most 3 of each identical one

    def would_grow(self, name: str, attributes: str) -> bool:
        return self.copies[name + attributes] < 3

    def open(self, name: str, attributes: str) -> None:
        key = name + attributes
        self.kept += self.copies[key] < 3
        self.copies[key] += 1
        self.unclosed[name].append(key)

    def close(self, name: str) -> None:
        if self.unclosed[name]:
            key = self.unclosed[name].pop()
            self.copies[key] -= 1
            self.kept -= self.copies[key] < 3


def bound_nesting(html: str) -> str:
    """`html` without the start tags that would nest deeper than MAX_DEPTH or keep more
    than MAX_FORMATTING formatting elements open, and with over-long tags shortened."""
    stack, formatting = _OpenElements(), _Formatting()
    pieces: list[str] = []
    kept_from = 0
    for match in _TAG.finditer(html, 0, html.rfind(">") + 1):
        closing, name, attributes = match.groups()
        name = name.lower()
        replacement = None
        if match.end() - match.start() > MAX_TAG_LENGTH:
            replacement = f"<{closing}{name}>"
        if closing:
            stack.close(name)
            if name in FORMATTING:
                formatting.close(name)
        elif name in _VOID:
            if name in _CLOSES_P:  # <hr>
                stack.close_sibling(*_P)
        elif not _opens(name, attributes.strip(), stack, formatting):
            replacement = ""
        if replacement is not None:
            pieces.append(html[kept_from : match.start()])
            pieces.append(replacement)
            kept_from = match.end()
    if not pieces:
        return html
    pieces.append(html[kept_from:])
    return "".join(pieces)


def _opens(name: str, attributes: str, stack: _OpenElements, formatting: _Formatting) -> bool:
    """Record a start tag as the parser would; False when it must be left out."""
    if name in _CLOSES_P:
        stack.close_sibling(*_P)
    if name in _SIBLINGS:
        stack.close_sibling(*_SIBLINGS[name])
    if name == "a":  # a new link closes an open one (the parser's adoption agency)
        stack.close("a")
        while formatting.unclosed["a"]:
            formatting.close("a")
    is_formatting = name in FORMATTING
    if len(stack.names) >= MAX_DEPTH or (
        is_formatting
        and formatting.kept >= MAX_FORMATTING
        and formatting.would_grow(name, attributes)
    ):
        return False
    stack.push(name)
    if is_formatting:
        formatting.open(name, attributes)
    return True
