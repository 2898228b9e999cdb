"""AZW3 for Kindle: the EPUB converted by calibre's `ebook-convert`, when installed.

calibre is a large desktop program, so it is optional: without it the download menu
leaves AZW3 out and says why (settings.EBOOK_CONVERT names the program).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext

from fanfold.exports.base import DownloadFormat
from fanfold.exports.book import Book
from fanfold.exports.epub import EpubFormat

CONVERT_TIMEOUT = 600  # seconds; calibre takes about a minute for the longest works


class Azw3Format(DownloadFormat):
    name = "azw3"
    label = "AZW3"
    mime_type = "application/vnd.amazon.ebook"
    cost = 10.0  # calibre starts a Qt program per book

    def program(self) -> str | None:
        return shutil.which(settings.EBOOK_CONVERT) if settings.EBOOK_CONVERT else None

    def available(self) -> bool:
        return self.program() is not None

    def unavailable_note(self) -> str:
        return gettext("AZW3 (Kindle) is not offered here: this archive has no calibre installed.")

    def render(self, book: Book) -> bytes:
        program = self.program()
        if program is None:
            raise RuntimeError("calibre's ebook-convert is not installed.")
        with tempfile.TemporaryDirectory(prefix="fanfold-azw3-") as tmp:
            source, target = Path(tmp, "book.epub"), Path(tmp, "book.azw3")
            source.write_bytes(EpubFormat().render(book))
            subprocess.run(  # noqa: S603 - our program, our file names
                [program, str(source), str(target), "--no-inline-toc"],
                check=True,
                capture_output=True,
                timeout=CONVERT_TIMEOUT,
                env=_calibre_env(tmp),
            )
            return target.read_bytes()


def _calibre_env(home: str) -> dict[str, str]:
    # calibre writes its configuration under $HOME and wants no display; a private home
    # keeps concurrent builds (and the web server's account) out of each other's way.
    return {**os.environ, "HOME": home, "QT_QPA_PLATFORM": "offscreen"}
