"""Finding English left on a page rendered in another language.

Two nets, so that a string nobody marked is caught as well as one marked but not
translated:

- our own catalogues: every English message that the language's catalogue translates
  to something else. A text node (or a visible attribute) that is such a message, or
  that holds a multi-word one, is English a reader of that language should not see.
- English grammar words: a text node with two words that are English and never
  German, Spanish or French ("the", "your", "with", …), or one in three words or more,
  is a sentence nobody marked (an `Http404("…")`, a message built in Python).

User content is skipped where the page says it is user content (`lang` on the work's
text, the `userstuff` blocks); test data names (titles, tags) are passed in `allowed`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from fanfold.archive.tests.test_translations import read_po

ROOT = Path(__file__).resolve().parents[2]
# Deliberately English (docs/translating.md): read by download tools.
EFICTION_CONTEXT = "eFiction marker read by download tools"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{?\s*[\w.|:\"' ]+\s*\}?\}")
WORD = re.compile(r"[A-Za-z][A-Za-z']*")
# English words that are not words in German, Spanish or French ("was", "will", "an",
# "die", "also" are German; "me", "a" and "son" are not English only).
GRAMMAR_WORDS = frozenset(
    [
        "the",
        "your",
        "you",
        "and",
        "with",
        "of",
        "for",
        "has",
        "have",
        "been",
        "this",
        "that",
        "are",
        "is",
        "not",
        "can",
        "there",
        "which",
        "from",
        "by",
        "or",
        "it",
        "its",
        "be",
        "to",
        "on",
        "at",
        "no",
        "yet",
        "any",
        "only",
        "than",
        "when",
        "who",
        "what",
        "here",
        "were",
        "would",
        "should",
        "could",
        "does",
        "did",
        "don't",
        "isn't",
        "can't",
        "doesn't",
        "these",
        "those",
        "their",
        "they",
        "them",
        "our",
        "we",
        "my",
        "if",
        "there's",
        "it's",
        "you're",
        "you've",
        "hasn't",
    ]
)
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
# A textarea holds what someone typed (a chapter, a page, the disclaimer), not our words.
SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "textarea"}


@dataclass(frozen=True)
class Catalogue:
    whole: frozenset[str]  # messages without placeholders, compared with a whole node
    phrases: tuple[str, ...]  # multi-word literal pieces, looked for inside a node


def _normal(text: str) -> str:
    return " ".join(text.split())


@cache
def english_messages(language: str) -> Catalogue:
    """The English messages our catalogues translate differently into `language` (and
    no catalogue keeps as they are: German says "Filter" and "Fandom" too)."""
    whole: set[str] = set()
    phrases: set[str] = set()
    same: set[str] = set()
    for po in ROOT.glob(f"*/locale/{language}/LC_MESSAGES/django.po"):
        for (context, msgid, plural), entry in read_po(po).items():
            if not msgid or context == EFICTION_CONTEXT:
                continue
            for english, translated in ((msgid, entry["strs"][0]), (plural, entry["strs"][-1])):
                english = _normal(english)
                if english and english == _normal(translated):
                    same.add(english.strip(" .:…"))
                if not english or english == _normal(translated):
                    continue
                if not PLACEHOLDER.search(english) and len(english) > 1:
                    whole.add(english.strip(" .:…"))
                for piece in PLACEHOLDER.split(english):
                    piece = _normal(re.sub(r"<[^>]*>", " ", piece))
                    if len(WORD.findall(piece)) >= 2 and piece not in translated:
                        phrases.add(piece)
    return Catalogue(frozenset(whole - same), tuple(sorted(phrases)))


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Page(HTMLParser):
    def __init__(self, allowed: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed = allowed
        self.texts: list[str] = []
        # Per open element: is its text skipped (script, user content, another language)?
        self._skipped: list[bool] = []

    def _skipping(self) -> bool:
        return bool(self._skipped) and self._skipped[-1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        own = tag in SKIPPED_ELEMENTS or "userstuff" in classes or bool(attrs.get("lang"))
        if tag != "html" and tag not in VOID:
            self._skipped.append(own or self._skipping())
        if own or self._skipping():
            return
        for name, value in attrs.items():
            if value and (
                name in VISIBLE_ATTRIBUTES
                or (
                    tag == "input" and name == "value" and attrs.get("type") in {"submit", "button"}
                )
            ):
                self._add(value)

    def handle_endtag(self, tag):
        if tag != "html" and tag not in VOID and self._skipped:
            self._skipped.pop()

    def handle_data(self, data):
        if not self._skipping():
            self._add(data)

    def _add(self, text: str) -> None:
        text = _normal(text)
        if text and text not in self.allowed:
            self.texts.append(text)


def visible_texts(html: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    page = _Page(allowed)
    page.feed(html)
    page.close()
    return page.texts


def english_left(html: str, language: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The texts on `html` that are English a `language` reader should not see."""
    catalogue = english_messages(language)
    texts = visible_texts(html, allowed)
    found = []
    joined = "\n".join(texts)
    hits = [p for p in catalogue.phrases if p in joined]
    for text in texts:
        words = [w.lower() for w in WORD.findall(text)]
        grammar = set(words) & GRAMMAR_WORDS
        if (
            text.strip(" .:…") in catalogue.whole
            or len(grammar) >= 2
            or (grammar and len(words) >= 3)
            or any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text) for p in hits if p in text)
        ):
            found.append(text)
    return found
