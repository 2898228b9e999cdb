"""Media files travel inside the archive file and come back where they were."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def test_media_files_come_back(tmp_path, settings, make_work):
    make_work()
    media = tmp_path / "media"
    (media / "covers").mkdir(parents=True)
    picture = bytes(range(256)) * 5000  # more than one chunk line
    (media / "covers" / "1.png").write_bytes(picture)
    settings.MEDIA_ROOT = str(media)
    archive = tmp_path / "archive.jsonl.gz"
    call_command("export_archive", str(archive), stdout=io.StringIO())

    (media / "covers" / "1.png").unlink()
    out = io.StringIO()
    call_command("restore_archive", str(archive), "--replace", stdout=out)
    assert "1 media files" in out.getvalue()
    assert (media / "covers" / "1.png").read_bytes() == picture
    assert not (tmp_path / "media.restoring").exists()
