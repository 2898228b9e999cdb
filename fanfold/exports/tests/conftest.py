import io
import zipfile

import pytest


def epub_text(content: bytes) -> str:
    """Every XHTML document of an EPUB, joined (what a reader would read)."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return "\n".join(
            book.read(name).decode() for name in sorted(book.namelist()) if name.endswith("html")
        )


@pytest.fixture
def no_calibre(settings):
    settings.EBOOK_CONVERT = ""
