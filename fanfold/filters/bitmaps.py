"""Tag bitmaps read from a memory-mapped snapshot, decoded when first asked for.

A leaf module (numpy and pyroaring only) so the index can use it and the snapshot
writer can fill it without importing each other.

Every worker maps the same file, so the serialised bitmaps cost the host one copy in
the page cache; each worker keeps only an LRU of the bitmaps it decoded lately, and
the bitmaps the change log touched since the snapshot (which must never be evicted).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, MutableMapping
from pathlib import Path
from typing import Literal

import numpy as np
from pyroaring import BitMap

# Decoded bitmaps kept per worker, by their serialised size (the top tags of each type,
# which every facet walk touches, are a few MiB at a million works).
DEFAULT_CACHE_BYTES = 32 * 1024 * 1024
# What a decoded bitmap costs beyond its serialised bytes (the Python object, CRoaring's
# structures): measured at about 235 bytes for a three-work tag, whose 30 serialised
# bytes alone let a search of common tag words fill the 32 MiB cap with ~190 MiB.
ENTRY_OVERHEAD = 256


class SnapshotBitmaps(MutableMapping[int, BitMap]):
    """`tag id -> BitMap` over serialised bitmaps in a mapped blob.

    Reads decode into a bounded LRU. A bitmap the index changes must be stored back
    (`mapping[tag] = bitmap`): that pins it in this worker for good.
    """

    def __init__(
        self,
        tag_ids: np.ndarray,
        offsets: np.ndarray,
        counts: np.ndarray,
        blob: np.ndarray,
        *,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
    ) -> None:
        self._ids = tag_ids  # sorted int64
        self._offsets = offsets  # int64, len(tag_ids) + 1
        self._blob = blob  # uint8, memory-mapped
        self.stored_counts = counts  # int64 work count per tag at the snapshot
        self._own: dict[int, BitMap] = {}
        self._cache: OrderedDict[int, BitMap] = OrderedDict()
        self._cached_bytes = 0
        self._cache_limit = cache_bytes
        self.decoded = 0  # how many decodes so far (tests and the benchmark look)

    def _slot(self, tag: int) -> int | None:
        at = int(np.searchsorted(self._ids, tag))
        if at < len(self._ids) and int(self._ids[at]) == tag:
            return at
        return None

    def _cost(self, slot: int) -> int:
        return int(self._offsets[slot + 1] - self._offsets[slot]) + ENTRY_OVERHEAD

    def __getitem__(self, tag: int) -> BitMap:
        tag = int(tag)
        own = self._own.get(tag)
        if own is not None:
            return own
        cached = self._cache.get(tag)
        if cached is not None:
            self._cache.move_to_end(tag)
            return cached
        slot = self._slot(tag)
        if slot is None:
            raise KeyError(tag)
        start, end = int(self._offsets[slot]), int(self._offsets[slot + 1])
        bitmap = BitMap.deserialize(self._blob[start:end].tobytes())
        self.decoded += 1
        self._cache[tag] = bitmap
        self._cached_bytes += self._cost(slot)
        while self._cached_bytes > self._cache_limit and len(self._cache) > 1:
            old, _ = self._cache.popitem(last=False)
            slot = self._slot(old)
            if slot is not None:
                self._cached_bytes -= self._cost(slot)
        return bitmap

    def peek(self, tag: int) -> BitMap | None:
        """The bitmap, without caching it: for one-off reads of many small bitmaps (a
        search's tag words) that would otherwise push the facet walk's out of the LRU."""
        tag = int(tag)
        known = self._own.get(tag)
        if known is None:
            known = self._cache.get(tag)
        if known is not None:
            return known
        slot = self._slot(tag)
        if slot is None:
            return None
        start, end = int(self._offsets[slot]), int(self._offsets[slot + 1])
        return BitMap.deserialize(self._blob[start:end].tobytes())

    def __setitem__(self, tag: int, bitmap: BitMap) -> None:
        tag = int(tag)
        if tag in self._cache:
            cached = self._cache.pop(tag)
            slot = self._slot(tag)
            if slot is not None:
                self._cached_bytes -= self._cost(slot)
            del cached
        self._own[tag] = bitmap

    def __delitem__(self, tag: int) -> None:
        raise TypeError("tags are never removed from a snapshot's bitmaps")

    def __contains__(self, tag: object) -> bool:
        if not isinstance(tag, int | np.integer):
            return False
        return int(tag) in self._own or self._slot(int(tag)) is not None

    def __iter__(self) -> Iterator[int]:
        yield from (int(t) for t in self._ids)
        yield from (t for t in self._own if self._slot(t) is None)

    def __len__(self) -> int:
        return len(self._ids) + sum(1 for t in self._own if self._slot(t) is None)

    def cardinalities(self) -> tuple[np.ndarray, np.ndarray]:
        """Every tag id and its work count, without decoding unchanged bitmaps."""
        counts = self.stored_counts.copy()
        extra_ids: list[int] = []
        extra_counts: list[int] = []
        for tag, bitmap in self._own.items():
            slot = self._slot(tag)
            if slot is None:
                extra_ids.append(tag)
                extra_counts.append(len(bitmap))
            else:
                counts[slot] = len(bitmap)
        ids = np.concatenate([self._ids, np.array(extra_ids, dtype=np.int64)])
        return ids, np.concatenate([counts, np.array(extra_counts, dtype=np.int64)])


def tag_counts(bitmaps: MutableMapping[int, BitMap]) -> tuple[np.ndarray, np.ndarray]:
    """(tag ids, work counts) of an index's bitmaps, whichever mapping holds them."""
    if isinstance(bitmaps, SnapshotBitmaps):
        return bitmaps.cardinalities()
    ids = np.fromiter(bitmaps, dtype=np.int64, count=len(bitmaps))
    counts = np.fromiter((len(b) for b in bitmaps.values()), dtype=np.int64, count=len(ids))
    return ids, counts


def write_bitmaps(path: Path, items: Iterable[tuple[int, BitMap]]) -> dict[str, np.ndarray]:
    """Serialise `(id, bitmap)` pairs, ids ascending, one after another into `path`;
    return the tables `SnapshotBitmaps` reads them back with (ids, offsets, counts)."""
    ids: list[int] = []
    sizes: list[int] = [0]
    counts: list[int] = []
    with open(path, "wb") as blob:
        for key, bitmap in items:
            bitmap.run_optimize()
            data = bitmap.serialize()
            blob.write(data)
            ids.append(key)
            sizes.append(len(data))
            counts.append(len(bitmap))
    return {
        "ids": np.array(ids, dtype=np.int64),
        "offsets": np.cumsum(np.array(sizes, dtype=np.int64)),
        "counts": np.array(counts, dtype=np.int64),
    }


def map_blob(path: Path) -> np.ndarray:
    """The file's bytes, mapped read-only (numpy cannot map an empty file)."""
    if path.stat().st_size:
        return np.memmap(path, dtype=np.uint8, mode="r")
    return np.zeros(0, dtype=np.uint8)


def map_array(path: Path, mode: Literal["r", "c"] = "r") -> np.ndarray:
    """A `.npy` file mapped (`c`: copy-on-write, for arrays the change log patches)."""
    try:
        return np.load(path, mmap_mode=mode)
    except ValueError:  # numpy cannot map an empty array
        return np.load(path)


def peek(bitmaps: MutableMapping[int, BitMap], tag: int) -> BitMap | None:
    """A tag's bitmap from either kind of mapping, never filling a snapshot's LRU."""
    if isinstance(bitmaps, SnapshotBitmaps):
        return bitmaps.peek(tag)
    return bitmaps.get(tag)
