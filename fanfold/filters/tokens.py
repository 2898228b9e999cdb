"""Words as the search sees them: lower case, no accents, letters and digits only.

A leaf module (the standard library and numpy): the query parser, the word index, its
snapshot and the search documents all split text here, so they agree on what a word is.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np

_WORD = re.compile(r"[^\W_]+")
# Separates texts tokenised together; never part of a word, and never looked up.
_SEP = "\x00"
_WORD_OR_SEP = re.compile(r"[^\W_]+|\x00")
_ASCII_SPLIT = str.maketrans(
    {chr(c): " " for c in range(128) if not chr(c).isalnum() and chr(c) != _SEP}
)


def words_of(text: str) -> list[str]:
    """Lower-case words without accents: letters and digits; anything else separates."""
    if not text.isascii():
        # Typographic punctuation (curly quotes, dashes, ellipses) separates words like
        # a space does; blanking it lets most English chapter text take the ASCII path.
        text = _TYPOGRAPHIC.sub(" ", text)
    if text.isascii():
        if _SEP in text:
            return _WORD.findall(text.lower())
        # Every ASCII character that is not a letter or digit becomes a space: the same
        # words as the regex, at C speed on long text.
        return text.lower().translate(_ASCII_SPLIT).split()
    # ASCII punctuation and spaces survive NFKD and casefolding unchanged and always
    # separate words, so each run between them can be cleaned on its own, and a
    # repeated run ("Zoë", "café") only once.
    words: list[str] = []
    for run in _ASCII_SEPARATORS.split(text):
        if run.isascii():
            if run:
                words.append(run.lower())
        else:
            words.extend(_run_words(run))
    return words


_TYPOGRAPHIC = re.compile("[\u00a0\u2010-\u2015\u2018-\u201f\u2026\u2032\u2033\u00ab\u00bb]")
_ASCII_SEPARATORS = re.compile(r"[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")


@functools.lru_cache(maxsize=65536)
def _run_words(run: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(_strip_accents(run).casefold()))


def _bulk_ids(vocab: dict[str, int], texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Word ids of many texts at once (new words join `vocab`): the ids, how many each
    text has, and the text order they come in (plain-ASCII texts first). A word repeated
    within a text is repeated here too; bitmaps ignore that.

    One pass over all the texts joined by a separator: a million separate regex calls
    would cost seconds of a build. Plain ASCII goes through str.translate and split, which
    are several times quicker than the regex the rest needs."""
    sep_id = vocab.setdefault(_SEP, len(vocab))
    plain = [i for i, t in enumerate(texts) if t.isascii()]
    other = [i for i, t in enumerate(texts) if not t.isascii()]
    tokens: list[str] = []
    if plain:
        # One-for-one translation keeps str.translate on its fast path; the separator
        # stands between spaces so that split() leaves it a token of its own.
        glue = f" {_SEP} "
        joined = glue.join([texts[i] for i in plain]) + glue
        if joined.count(_SEP) != len(plain):  # a text holding the separator itself
            joined = glue.join(texts[i].replace(_SEP, " ") for i in plain) + glue
        tokens = joined.lower().translate(_ASCII_SPLIT).split()
    if other:
        joined = _SEP.join(_strip_accents(texts[i]).replace(_SEP, " ") for i in other) + _SEP
        tokens += _WORD_OR_SEP.findall(joined.casefold())
    for word in set(tokens).difference(vocab):
        vocab[word] = len(vocab)
    wids = np.fromiter(map(vocab.__getitem__, tokens), dtype=np.uint32, count=len(tokens))
    is_sep = wids == sep_id
    lengths = np.diff(np.flatnonzero(is_sep), prepend=-1) - 1
    return wids[~is_sep], lengths, np.array(plain + other, dtype=np.int64)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
