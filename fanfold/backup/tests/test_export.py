"""The export reads one snapshot: what the site writes meanwhile is not half in it."""

from __future__ import annotations

import gzip
import json
import threading

import pytest
from django.db import connections, transaction

from fanfold.accounts.models import User
from fanfold.backup.export import archive_export
from fanfold.filters.models import SavedFilter

pytestmark = pytest.mark.django_db(transaction=True)


def test_writes_during_the_export_wait_for_the_next_one(tmp_path, make_user):
    make_user(username="before")
    writes: list[str] = []

    def site_writes(label: str, done: int, total: int) -> None:
        # Another process of the site signs a member up, who saves a filter, once the
        # members' table is written: without one snapshot the file would hold a saved
        # filter of a member it does not hold.
        if writes or label != "accounts.user":
            return

        def sign_up() -> None:
            with transaction.atomic():
                member = User.objects.create(username="during")
                SavedFilter.objects.create(user=member, name="Written meanwhile", path="/works")
            connections.close_all()

        thread = threading.Thread(target=sign_up)
        thread.start()
        thread.join()
        writes.append(label)

    path = tmp_path / "archive.jsonl.gz"
    archive_export(path=path, progress=site_writes)
    assert User.objects.filter(username="during").exists()
    with gzip.open(path, "rb") as stream:
        text = stream.read().decode()
    assert writes and "before" in text
    assert "during" not in text and "Written meanwhile" not in text
    first = json.loads(text.splitlines()[0])
    assert first["format"] == "fanfold-archive" and first["version"] == 1
