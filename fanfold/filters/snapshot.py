"""One filter index per host: a snapshot on disk that every worker maps read-only.

Layout under `FILTER_INDEX_DIR`:

    build.lock              held (flock) by the one process building
    current -> snapshots/X  swapped with a rename once X is complete
    snapshots/X/            numpy arrays (.npy), serialised bitmaps, meta.json, and the
                            word index searches use (`word_snapshot`: words_*)
    snapshots/X/reader.lock held shared by every worker that uses X
    snapshots/.tmp-Y/       a build in progress (or one that crashed)

A snapshot is written in full to a temporary directory and renamed into place before
`current` moves, so a crash mid-build leaves the old snapshot in use. Old snapshots go
once no reader holds their lock. Workers apply the change log on top, in their own
copy-on-write pages (`mmap_mode="c"`): only the pages a change touches stop being shared.

Per-work arrays (ids, sort prefixes, columns) are written with spare rows after the
last work (`spare_rows`). A work posted after the build is appended into them, which
copies one page per array in the worker that applies it. Without them numpy would have
to copy every array out of the shared pages to make it longer: about 120 bytes a work
in every worker (116 MiB at a million works) from the first new work until the next
snapshot. If a worker runs out of spare rows it still grows its arrays that way.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from django.conf import settings
from pyroaring import BitMap

from fanfold.filters.bitmaps import SnapshotBitmaps, map_array, map_blob, write_bitmaps
from fanfold.filters.index import FLAG_COLUMNS, FilterIndex
from fanfold.filters.query import SORTS
from fanfold.filters.word_snapshot import map_words, write_words

# 2: the word index (search) is part of the snapshot.
# 3: per-work arrays end in spare zero rows that works posted since are appended into.
FORMAT = 3
SNAPSHOTS = "snapshots"
CURRENT = "current"
# The archive-wide orders a large result pages through, computed once by the builder.
PRESORTED = [s for s in SORTS if s != "relevance"]
# Spare rows: a fiftieth of the works, at least ten thousand (1.2 MiB on disk). Snapshots
# with changes on top are renewed after a quarter of an hour (selectors), far sooner
# than even a busy archive posts that many works.
SPARE_MIN = 10_000
SPARE_SHARE = 50


def spare_rows(n: int) -> int:
    return max(SPARE_MIN, n // SPARE_SHARE)


class NeedsSnapshot(Exception):
    """The change log asks for a full rebuild (or was pruned past this index): a
    worker cannot patch its way there and must wait for a newer snapshot."""


def index_dir() -> Path:
    return Path(settings.FILTER_INDEX_DIR)


# --- locks --------------------------------------------------------------------------------


def _try_lock(path: Path, kind: int) -> int | None:
    """An open descriptor holding `kind` (LOCK_SH / LOCK_EX) on `path`, or None."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextmanager
def build_lock(root: Path, *, blocking: bool = False):
    """Yields whether this process now holds the host's build lock."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / "build.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing releases the lock


def build_running(root: Path) -> bool:
    with build_lock(root) as held:
        return not held


# --- writing --------------------------------------------------------------------------------


def build_snapshot(
    root: Path | None = None, *, blocking: bool = False, progress: Callable | None = None
) -> Path | None:
    """Build the index from the database and publish it as the host's snapshot.

    Returns the new snapshot's directory, or None when another process is building
    (and `blocking` is off)."""
    root = root or index_dir()
    with build_lock(root, blocking=blocking) as held:
        if not held:
            return None
        _remove_unused(root, building=True)
        index = FilterIndex.build(progress=progress, words=True)
        return publish(index, root)


def publish(index: FilterIndex, root: Path) -> Path:
    """Write `index` as a snapshot and make it current (the caller holds the build lock)."""
    base = root / SNAPSHOTS
    base.mkdir(parents=True, exist_ok=True)
    # Unique even for two builds in one second (the random part): a name is never reused.
    stamp = time.strftime("%Y%m%dT%H%M%S")
    name = f"{stamp}-{index.last_change}-{secrets.token_hex(4)}"
    tmp = base / f".tmp-{name}"
    tmp.mkdir()
    write(index, tmp)
    final = base / name
    os.rename(tmp, final)
    link = root / f".current-{os.getpid()}"
    link.unlink(missing_ok=True)
    os.symlink(f"{SNAPSHOTS}/{name}", link)
    os.replace(link, root / CURRENT)  # the atomic swap readers see
    _remove_unused(root, building=True)
    return final


def write(index: FilterIndex, out: Path) -> None:
    n = index.n
    per_work: dict[str, np.ndarray] = {
        "ids": index.ids,
        "title": index.title,
        "creator": index.creator,
    }
    per_work |= {f"col_{k}": v for k, v in index.cols.items()}
    for name, values in per_work.items():
        _save_with_spare_rows(out / f"{name}.npy", values[:n], n + spare_rows(n))
    arrays: dict[str, np.ndarray] = {
        "indptr": index.indptr,
        "csr": index.csr,
        "types": index.graph.types,
    }
    for sort in PRESORTED:
        arrays[f"order_{sort}"] = index.sort_order(sort)[0]
    merger = sorted(index.graph.merger.items())
    arrays["merger"] = np.array(merger, dtype=np.int64).reshape(-1, 2)
    links = [(c, p) for c, parents in sorted(index.graph.parents.items()) for p in parents]
    arrays["parents"] = np.array(links, dtype=np.int64).reshape(-1, 2)
    tables = write_bitmaps(
        out / "bitmaps.bin",
        ((tag, index.tag_bitmaps[tag] & index.alive) for tag in sorted(index.tag_bitmaps)),
    )
    arrays |= {f"bitmap_{name}": values for name, values in tables.items()}
    if index.words is not None:
        arrays |= write_words(index.words, out)
    for name, values in arrays.items():
        np.save(out / f"{name}.npy", np.ascontiguousarray(values))
    for name in FLAG_COLUMNS:
        (out / f"flag_{name}.bin").write_bytes(index.flags[name].serialize())
    (out / "alive.bin").write_bytes(index.alive.serialize())
    meta = {
        "format": FORMAT,
        "n": n,
        "last_change": index.last_change,
        "build_seconds": round(index.build_seconds, 3),
        "columns": sorted(index.cols),
        "words": index.words is not None,
        "words_build_seconds": round(index.words.build_seconds, 3) if index.words else 0,
        "created": time.time(),
    }
    # meta.json last: a directory without it is never read.
    (out / "meta.json").write_text(json.dumps(meta))


def _save_with_spare_rows(path: Path, values: np.ndarray, rows: int) -> None:
    """Save `values` followed by zero rows, `rows` in all, written straight to the file
    (no padded copy in the builder's memory)."""
    shape = (rows, *values.shape[1:])
    out = np.lib.format.open_memmap(path, mode="w+", dtype=values.dtype, shape=shape)
    out[: len(values)] = values
    out.flush()
    del out


# --- reading --------------------------------------------------------------------------------


class SnapshotIndex(FilterIndex):
    """A FilterIndex mapped from a snapshot; the change log patches it in this process."""

    snapshot_name = ""
    created = 0.0  # when the builder finished (time.time())
    _reader_fd: int | None = None

    def _rebuild(self) -> None:
        raise NeedsSnapshot

    def _restart(self) -> None:
        raise NeedsSnapshot

    def close(self) -> None:
        """Let the snapshot go (its files may be removed once no one else reads it)."""
        if self._reader_fd is not None:
            os.close(self._reader_fd)
            self._reader_fd = None


def current_name(root: Path | None = None) -> str:
    try:
        return os.readlink((root or index_dir()) / CURRENT).rsplit("/", 1)[-1]
    except OSError:
        return ""


def open_current(root: Path | None = None, *, at_least: int = 0) -> SnapshotIndex | None:
    """Map the current snapshot, if there is one that read the log to `at_least`."""
    root = root or index_dir()
    for _ in range(5):  # `current` may move (and the old one go) while we look
        name = current_name(root)
        if not name:
            return None
        path = root / SNAPSHOTS / name
        fd = _try_lock(path / "reader.lock", fcntl.LOCK_SH) if path.is_dir() else None
        if fd is None or not (path / "meta.json").exists():
            if fd is not None:
                os.close(fd)
            continue
        meta = json.loads((path / "meta.json").read_text())
        if meta["format"] != FORMAT or meta["last_change"] < at_least:
            os.close(fd)
            return None
        index = load(path, meta)
        index._reader_fd = fd
        return index
    return None


def load(path: Path, meta: dict) -> SnapshotIndex:
    index = SnapshotIndex()
    n = index.n = int(meta["n"])
    index.snapshot_name = path.name
    index.last_change = int(meta["last_change"])
    index.build_seconds = float(meta["build_seconds"])
    index.created = float(meta["created"])
    # Copy-on-write, spare rows included (`spare_rows`): the change log writes a
    # changed or new work's row in this process only.
    index.ids = map_array(path / "ids.npy", "c")
    index._base_ids = index.ids[:n]
    index.title = map_array(path / "title.npy", "c")
    index.creator = map_array(path / "creator.npy", "c")
    index.cols = {name: map_array(path / f"col_{name}.npy", "c") for name in meta["columns"]}
    index.indptr = map_array(path / "indptr.npy")
    index.csr = map_array(path / "csr.npy")
    index.overlaid = np.zeros(len(index.ids), dtype=bool)
    index.alive = BitMap.deserialize((path / "alive.bin").read_bytes())
    for name in FLAG_COLUMNS:
        index.flags[name] = BitMap.deserialize((path / f"flag_{name}.bin").read_bytes())
    graph = index.graph
    graph.types = np.array(np.load(path / "types.npy"))  # small, and grows with new tags
    graph.merger = {int(a): int(b) for a, b in np.load(path / "merger.npy").tolist()}
    parents: dict[int, list[int]] = {}
    for child, parent in np.load(path / "parents.npy").tolist():
        parents.setdefault(int(child), []).append(int(parent))
    graph.parents = {k: tuple(v) for k, v in parents.items()}
    index.tag_bitmaps = SnapshotBitmaps(
        np.load(path / "bitmap_ids.npy"),
        np.load(path / "bitmap_offsets.npy"),
        np.load(path / "bitmap_counts.npy"),
        map_blob(path / "bitmaps.bin"),
    )
    index.orders = {s: (map_array(path / f"order_{s}.npy"), BitMap()) for s in PRESORTED}
    index.sort_types()
    if meta.get("words"):
        index.words = map_words(path, index, build_seconds=meta["words_build_seconds"])
    return index


# --- removing ---------------------------------------------------------------------------------


def _remove_unused(root: Path, *, building: bool) -> None:
    """Delete snapshots no reader holds (never the current one) and, for the holder
    of the build lock, what crashed builds left."""
    base = root / SNAPSHOTS
    if not base.is_dir():
        return
    keep = current_name(root)
    for path in base.iterdir():
        if path.name == keep:
            continue
        if path.name.startswith(".tmp-"):
            if building:
                shutil.rmtree(path, ignore_errors=True)
            continue
        fd = _try_lock(path / "reader.lock", fcntl.LOCK_EX)
        if fd is None:
            continue  # a worker still reads it
        try:
            shutil.rmtree(path, ignore_errors=True)
        finally:
            os.close(fd)


def remove_unused(root: Path | None = None) -> None:
    _remove_unused(root or index_dir(), building=False)


def snapshot_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
