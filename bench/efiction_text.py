"""Word-like text for the generated eFiction dump: names, titles, summaries, and a pool
of chapter paragraphs that are escaped once, so a chapter is a join of pool entries.

Text comes in three byte flavours, as real eFiction tables hold them: plain ASCII,
cp1252 curly quotes (0x93/0x94: pasted from Word into a latin1 table) and UTF-8 (a page
served as UTF-8 writing into the same latin1 table).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

COMMON = [
    "the",
    "and",
    "of",
    "to",
    "a",
    "in",
    "was",
    "he",
    "she",
    "it",
    "that",
    "her",
    "his",
    "you",
    "had",
    "with",
    "for",
    "on",
    "as",
    "at",
    "not",
    "but",
    "they",
    "be",
    "said",
    "all",
    "so",
    "from",
    "one",
    "were",
    "what",
    "there",
    "him",
    "would",
    "out",
    "up",
    "into",
    "could",
    "them",
    "then",
    "like",
    "back",
    "over",
    "down",
    "only",
    "know",
    "just",
    "now",
    "when",
    "some",
    "time",
    "no",
    "been",
    "before",
    "if",
    "little",
    "more",
    "than",
    "about",
    "eyes",
    "hand",
    "door",
    "night",
    "never",
    "again",
    "still",
    "away",
    "long",
]
SYLLABLES = [
    "ka",
    "ri",
    "to",
    "ne",
    "sa",
    "mi",
    "lo",
    "ve",
    "an",
    "el",
    "or",
    "is",
    "un",
    "ar",
    "th",
    "en",
    "ce",
    "da",
    "ro",
    "li",
    "ma",
    "ga",
    "be",
    "sh",
    "ow",
    "ie",
    "ly",
    "ter",
    "mor",
    "wen",
    "dal",
    "fi",
    "ra",
    "qu",
    "ste",
    "gr",
    "ph",
    "al",
    "ny",
]
SEPARATOR = b"\\r\\n"  # eFiction keeps the editor's CRLF between paragraphs

ASCII, CP1252, UTF8 = "ascii", "cp1252", "utf8"


def escape(raw: bytes) -> bytes:
    """mysqldump's string escaping (mysql_real_escape_string)."""
    return (
        raw.replace(b"\\", b"\\\\")
        .replace(b"'", b"\\'")
        .replace(b'"', b'\\"')
        .replace(b"\n", b"\\n")
        .replace(b"\r", b"\\r")
        .replace(b"\x00", b"\\0")
        .replace(b"\x1a", b"\\Z")
    )


def curly(text: str) -> str:
    """Typographic quotes and dashes, as a word processor would write them."""
    parts = text.split('"')
    out = [parts[0]]
    for number, part in enumerate(parts[1:]):
        out.append(("\u201c" if number % 2 == 0 else "\u201d") + part)
    return "".join(out).replace("'", "\u2019").replace(" - ", " \u2014 ")


def encode(text: str, flavour: str) -> bytes:
    """A text as the bytes a latin1 eFiction column holds for that flavour."""
    if flavour == CP1252:
        return curly(text).encode("cp1252")
    if flavour == UTF8:
        return curly(text).replace("cafe", "caf\u00e9").encode("utf-8")
    return text.encode("ascii")


class Words:
    """A Zipf-weighted vocabulary of common English words and invented ones."""

    def __init__(self, rng: random.Random, size: int = 3000) -> None:
        invented: set[str] = set()
        while len(invented) < size - len(COMMON):
            syllables = rng.choices(SYLLABLES, k=rng.choice((1, 2, 2, 2, 3, 3, 4)))
            invented.add("".join(syllables))
        self.vocabulary = list(COMMON) + sorted(invented) + ["cafe"]
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.vocabulary))]
        total, running = sum(weights), 0.0
        self.cumulative = []
        for weight in weights:
            running += weight
            self.cumulative.append(running / total)
        self.rng = rng

    def some(self, count: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=count)

    def name(self) -> str:
        return "".join(self.rng.choices(SYLLABLES, k=self.rng.randint(2, 3))).capitalize()

    def title(self, low: int = 1, high: int = 5) -> str:
        return " ".join(w.capitalize() for w in self.some(self.rng.randint(low, high)))

    def sentence(self) -> str:
        words = self.some(self.rng.randint(4, 18))
        if self.rng.random() < 0.1:
            words[self.rng.randrange(len(words))] = "don't"
        text = " ".join(words).capitalize()
        roll = self.rng.random()
        if roll < 0.2:
            return f'"{text}," {self.rng.choice(("she", "he", "they"))} said.'
        if roll < 0.25:
            return f"{text} - <i>{' '.join(self.some(3))}</i>."
        return text + self.rng.choice((".", ".", ".", "!", "?"))

    def text(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))


@dataclass
class ParagraphPool:
    """Escaped paragraphs by flavour (plus `plain`, without tags) and their word counts."""

    html: dict[str, list[bytes]]
    plain: list[bytes]
    words: list[int]

    @classmethod
    def build(cls, words: Words, size: int = 2000) -> ParagraphPool:
        html: dict[str, list[bytes]] = {ASCII: [], CP1252: [], UTF8: []}
        plain, counts = [], []
        for number in range(size):
            if number % 40 == 39:  # a scene break now and then
                text, tagged = "* * *", '<p align="center">* * *</p>'
            else:
                text = words.text(words.rng.randint(3, 14))
                tagged = f"<p>{text}</p>"
            for flavour, pool in html.items():
                pool.append(escape(encode(tagged, flavour)))
            plain.append(escape(text.replace("<i>", "").replace("</i>", "").encode()))
            counts.append(len(text.split()) if number % 40 != 39 else 0)
        return cls(html, plain, counts)

    def chapter(self, rng: random.Random, flavour: str, plain: bool) -> tuple[bytes, int]:
        """An escaped chapter body of about 10 KB, and its word count."""
        picks = rng.choices(range(len(self.words)), k=rng.randint(8, 32))
        if plain:  # old submissions: text with blank lines, no tags
            body = b"\\r\\n\\r\\n".join([self.plain[i] for i in picks])
        else:
            pool = self.html[flavour]
            body = SEPARATOR.join([pool[i] for i in picks])
        return body, sum([self.words[i] for i in picks])


class Escaped(bytes):
    """A value already escaped for a quoted SQL string (the paragraph pool's output)."""


def lit(value: object) -> bytes:
    if value is None:
        return b"NULL"
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, Escaped):
        return b"'" + value + b"'"
    if isinstance(value, bytes):
        return b"'" + escape(value) + b"'"
    return b"'" + escape(str(value).encode("ascii")) + b"'"


def row(*values: object) -> bytes:
    return b"(" + b",".join([lit(v) for v in values]) + b")"
