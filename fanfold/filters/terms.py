"""A sorted table of words as two flat arrays, so a snapshot can hold it and every
worker map it: the words' UTF-8 bytes one after another, and where each one starts.

A Python dict of half a million words costs each worker about 60 MiB of its own heap;
these arrays cost the host one copy in the page cache. A word's id is its rank, found
by bisection, and a prefix's words are one contiguous range of ids.

A leaf module (numpy only): the word index and the snapshot both use it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

import numpy as np

# Lone surrogates can come out of a database's text; they must round-trip, not fail.
_ERRORS = "surrogatepass"


class Terms(Sequence[str]):
    """Words in code-point order (Python's own string order), addressed by rank."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self.blob = blob  # uint8: every word's UTF-8 bytes, in order
        self.offsets = offsets  # int64, len(words) + 1

    @classmethod
    def from_sorted(cls, words: Iterable[str]) -> Terms:
        encoded = [w.encode("utf-8", _ERRORS) for w in words]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        return cls(blob, offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, rank):  # an int only: no slices here
        start, end = int(self.offsets[rank]), int(self.offsets[rank + 1])
        return self.blob[start:end].tobytes().decode("utf-8", _ERRORS)

    def find(self, word: str) -> int | None:
        """The word's rank, or None when the table does not hold it."""
        at = bisect.bisect_left(self, word)
        return at if at < len(self) and self[at] == word else None

    def prefixed(self, prefix: str) -> range:
        """The ranks of every word starting with `prefix` (contiguous in this order)."""
        start = bisect.bisect_left(self, prefix)
        # Every word with the prefix sorts below the prefix followed by the highest
        # code point; no word holds that code point (it is not a letter).
        end = bisect.bisect_left(self, prefix + "\U0010ffff", lo=start)
        return range(start, end)
