"""rss.php: the 20 most recently updated works anyone may read, as RSS 2.0."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from fanfold.works.models import Approval, Work

pytestmark = pytest.mark.django_db


def items(client) -> list[dict[str, str]]:
    response = client.get("/rss.php")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed, in a test)
    assert (root.tag, root.get("version")) == ("rss", "2.0")
    return [{child.tag: (child.text or "") for child in item} for item in root.iter("item")]


def test_feed_items_name_title_author_and_rating_newest_first(client, make_user, make_work):
    author = make_user("Quillmoth")
    older = make_work(author, title="Low Tide", rating="Teen And Up Audiences")
    newer = make_work(author, title="High Tide", summary="<p>Waves.</p>")
    Work.objects.filter(pk=older.pk).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    shown = items(client)
    assert [i["title"] for i in shown] == [
        "High Tide by Quillmoth [General Audiences]",
        "Low Tide by Quillmoth [Teen And Up Audiences]",
    ]
    assert shown[0]["link"].endswith(f"/works/{newer.pk}")
    assert "Waves." in shown[0]["description"]


def test_feed_leaves_out_what_guests_may_not_read(client, make_user, make_work):
    author = make_user()
    make_work(author, title="Shown")
    make_work(author, title="Draft", post=False)
    for title, change in [
        ("Members", {"restricted": True}),
        ("Hidden", {"hidden_by_admin": True}),
        ("Pending", {"approval": Approval.PENDING}),
    ]:
        Work.objects.filter(pk=make_work(author, title=title).pk).update(**change)
    assert [i["title"].split(" by ")[0] for i in items(client)] == ["Shown"]


def test_feed_holds_twenty_items(client, make_user, make_work):
    author = make_user()
    for number in range(22):
        make_work(author, title=f"Work {number}")
    assert len(items(client)) == 20
