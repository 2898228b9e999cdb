"""The search syntax: what a reader types in the search box, as terms the word index
(`words.WordIndex.match`) and the database's text search (`search`) both answer.

Kept apart from the index so the syntax can be read, tested and documented on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fanfold.filters.tokens import words_of

_TOKEN = re.compile(r'-?"[^"]*"?|\S+')


@dataclass
class Term:
    words: list[str]
    prefix: bool = False  # the last word is a prefix (`drag*`)
    phrase: bool = False  # the words in this order ("quoted words")
    negative: bool = False  # `-word`: works with it are left out


@dataclass
class Query:
    terms: list[Term] = field(default_factory=list)
    body: bool = False  # chapter text counts too

    @property
    def empty(self) -> bool:
        return not any(not t.negative for t in self.terms)


def parse(text: str, *, body: bool = False) -> Query:
    """A reader's search as terms. Every word must appear; `-word` must not; `word*`
    matches a prefix; "quoted words" must appear together in that order. Nothing else is
    syntax: punctuation inside a word separates words (`harry/draco` needs both words;
    `-harry/draco` leaves out works with the phrase "harry draco")."""
    query = Query(body=body)
    for token in _TOKEN.findall(text):
        negative = token.startswith("-") and len(token) > 1
        token = token[1:] if negative else token
        if token.startswith('"'):
            words = words_of(token)
            if len(words) > 1:
                query.terms.append(Term(words, phrase=True, negative=negative))
            elif words:
                query.terms.append(Term(words, negative=negative))
            continue
        words = words_of(token)
        if not words:
            continue
        if negative and len(words) > 1:
            # `-harry/draco` leaves out that pairing, not every work naming either.
            query.terms.append(Term(words, phrase=True, negative=True))
            continue
        prefix = token.endswith("*")
        for i, word in enumerate(words):
            last = i == len(words) - 1
            query.terms.append(Term([word], prefix=prefix and last, negative=negative))
    return query
