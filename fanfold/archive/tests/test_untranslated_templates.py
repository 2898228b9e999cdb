"""Every visible word in a template is marked for translation.

Each template is read with Django's own lexer: text inside `{% translate %}`,
`{% blocktranslate %}` and `{% comment %}` is set aside, variables and tags become
nothing, and what is left is parsed as HTML. Any letter left in a text node (or in an
attribute people see: title, placeholder, aria-label, alt) is a string a German reader
would get in English.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]

# Apps whose templates are not marked yet: none (add one here only while marking it).
PENDING_APPS: set[str] = set()

VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
# Names that read the same in every language we ship.
SAME_IN_EVERY_LANGUAGE = {"Fanfold", "EPUB", "PDF", "AZW3", "HTML", "RSS", "Atom", "OPDS"}
BLOCK_OPENING = {"blocktranslate", "blocktrans", "comment", "verbatim"}
BLOCK_CLOSING = {"endblocktranslate", "endblocktrans", "endcomment", "endverbatim"}
LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def skeleton(source: str) -> str:
    """`source` with template syntax removed and translated text set aside."""
    out: list[str] = []
    depth = 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split(" ", 1)[0]
            if name in BLOCK_OPENING:
                depth += 1
            elif name in BLOCK_CLOSING:
                depth -= 1
        elif token.token_type == TokenType.TEXT and depth == 0:
            out.append(token.contents)
    return "".join(out)


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._hidden += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value:
                self._check(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self._check(data)

    def _check(self, text: str) -> None:
        words = [w for w in re.split(r"\s+", text.strip()) if w]
        left = [w for w in words if w.strip(".,:;()") not in SAME_IN_EVERY_LANGUAGE]
        if any(LETTER.search(word) for word in left):
            self.found.append(" ".join(text.split()))


def untranslated(path: Path) -> list[str]:
    parser = _Visible()
    parser.feed(skeleton(path.read_text(encoding="utf-8")))
    parser.close()
    return parser.found


def templates() -> list[Path]:
    found = []
    for path in sorted(ROOT.glob("*/templates/**/*.html")):
        app = path.relative_to(ROOT).parts[0]
        if app not in PENDING_APPS:
            found.append(path)
    return found


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_visible_string_is_marked(path: Path):
    assert untranslated(path) == []


def test_the_checker_finds_plain_text_and_attributes(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}<p>{% translate "Fine" %} {{ count }} — 3.</p>'
        '<a title="Open it" href="{% url "x" %}">{% blocktranslate %}Also {{ fine }}'
        "{% endblocktranslate %}</a>{% comment %}Not shown{% endcomment %}<b>Oops</b>"
        "<script>var words = 1;</script>"
    )
    assert untranslated(page) == ["Open it", "Oops"]
