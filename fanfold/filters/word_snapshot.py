"""The word index (search) in the host's snapshot, beside the filter index's files.

The builder writes, and every worker maps read-only:

    words_terms.npy, words_term_offsets.npy   the sorted vocabulary (`terms.Terms`)
    words_sizes.npy                           works per word at the build (prefixes)
    words_tag_indptr.npy, words_tag_ids.npy   tag names: word -> tags using it (CSR)
    words_named.npy                           which tag ids had a name at the build
    words_<field>.bin + words_<field>_*.npy   per field, a serialised bitmap per word

A worker keeps only what it changed (words of works edited since, new words, renamed
tags) and small caches of decoded bitmaps, so searching costs it a few MiB instead of
building its own index (about 20 s and 110 MiB at a million works).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from fanfold.filters.bitmaps import SnapshotBitmaps, map_array, map_blob, write_bitmaps
from fanfold.filters.terms import Terms
from fanfold.filters.words import FIELDS, WordIndex

if TYPE_CHECKING:
    from fanfold.filters.index import FilterIndex

# Decoded word bitmaps kept per worker and field (a search decodes a few per word).
CACHE_BYTES = 4 * 1024 * 1024


def write_words(words: WordIndex, out: Path) -> dict[str, np.ndarray]:
    """Write the bitmaps into `out`; return the arrays the caller saves beside them."""
    if words.extra or words.changed_words or words.renamed:
        raise ValueError("only a freshly built word index can be written")
    arrays = {
        "words_terms": words.terms.blob,
        "words_term_offsets": words.terms.offsets,
        "words_sizes": words.sizes,
        "words_tag_indptr": words.tag_indptr,
        "words_tag_ids": words.tag_ids,
        "words_named": words.named,
    }
    for name in FIELDS:
        base = words.base[name]
        tables = write_bitmaps(out / f"words_{name}.bin", ((w, base[w]) for w in sorted(base)))
        arrays |= {f"words_{name}_{table}": values for table, values in tables.items()}
    return arrays


def map_words(path: Path, index: FilterIndex, *, build_seconds: float = 0.0) -> WordIndex:
    """The snapshot's word index, mapped; the change log patches it in this process."""
    words = WordIndex()
    words.terms = Terms(
        map_array(path / "words_terms.npy"), map_array(path / "words_term_offsets.npy")
    )
    words.sizes = map_array(path / "words_sizes.npy")
    words.tag_indptr = map_array(path / "words_tag_indptr.npy")
    words.tag_ids = map_array(path / "words_tag_ids.npy")
    words.named = np.load(path / "words_named.npy")  # small, and grows with new tags
    for name in FIELDS:
        ids, offsets, counts = (
            map_array(path / f"words_{name}_{t}.npy") for t in ("ids", "offsets", "counts")
        )
        blob = map_blob(path / f"words_{name}.bin")
        words.base[name] = SnapshotBitmaps(ids, offsets, counts, blob, cache_bytes=CACHE_BYTES)
    words.build_seconds = build_seconds  # the builder's, for reports
    words.refresh_tag_graph(index)
    return words
