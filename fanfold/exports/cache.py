"""Built books kept in Django's default storage (the media root unless configured).

A file's name carries everything its content depends on, `downloads/work-12/r7-s3-b1.epub`:
the work's render_version, the site settings' version (the disclaimer and the site's
name are in the book) and the writers' own BUILD_VERSION. An edit therefore never
serves an old file; storing a new one removes the stale ones beside it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

log = logging.getLogger(__name__)

# Bump when a writer changes what it produces, so books built before are rebuilt.
BUILD_VERSION = 1
ROOT = "downloads"


def folder(subject: str) -> str:
    """`subject` is "work-<id>" or "series-<id>"."""
    return f"{ROOT}/{subject}"


def file_name(subject: str, version: str, extension: str) -> str:
    return f"{folder(subject)}/{version}-b{BUILD_VERSION}.{extension}"


def cached(name: str) -> bool:
    return default_storage.exists(name)


def store(name: str, content: bytes) -> str:
    """Save a built book under `name` (replacing a half-finished twin) and remove the
    stale versions of the same subject and format."""
    if default_storage.exists(name):
        # Two builds raced; both wrote the same book, keep the first one.
        return name
    try:
        local = Path(default_storage.path(name))
    except NotImplementedError:  # a remote storage: it publishes a file once uploaded
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:
            # The storage picked another name because one appeared meanwhile.
            default_storage.delete(saved)
    else:
        # Written beside, then renamed: a reader never gets a half-written book.
        local.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=local.parent, delete=False, suffix=".part") as tmp:
            tmp.write(content)
        os.replace(tmp.name, local)
    prune(name)
    return name


def prune(keep: str) -> int:
    """Delete the other builds of `keep`'s subject in the same format; their count."""
    directory, _, current = keep.rpartition("/")
    extension = current.rsplit(".", 1)[-1]
    removed = 0
    try:
        _, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return 0
    for other in files:
        if other != current and other.endswith((f".{extension}", ".part")):
            default_storage.delete(f"{directory}/{other}")
            removed += 1
    return removed


def subjects() -> list[str]:
    """Every subject folder with built books ("work-12", "series-3")."""
    try:
        folders, _ = default_storage.listdir(ROOT)
    except FileNotFoundError:
        return []
    return folders


def remove_subject(subject: str) -> int:
    """Delete every built book of `subject`; how many there were."""
    _, files = default_storage.listdir(folder(subject))
    for name in files:
        default_storage.delete(f"{folder(subject)}/{name}")
    # Remote storages have no folders to remove.
    with contextlib.suppress(NotImplementedError):
        os.rmdir(default_storage.path(folder(subject)))
    log.info("removed %d downloads of %s", len(files), subject)
    return len(files)
