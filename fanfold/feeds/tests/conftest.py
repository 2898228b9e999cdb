"""Feeds are checked the way readers use them: parsed by the real `feedparser`, each
entry's link followed."""

from __future__ import annotations

from urllib.parse import urlsplit

import feedparser
import pytest

from fanfold.works.models import Approval, Work


def parse_atom(response) -> feedparser.FeedParserDict:
    """The feed in `response`, which must be well-formed Atom 1.0."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title and parsed.feed.id and parsed.feed.updated
    for entry in parsed.entries:
        assert entry.title and entry.id and entry.updated and entry.link
        assert entry.summary_detail.type == "text/html"
    return parsed


def assert_links_resolve(client, parsed) -> None:
    for entry in parsed.entries:
        link = urlsplit(entry.link)
        assert link.netloc == "testserver"
        response = client.get(link.path + (f"?{link.query}" if link.query else ""))
        assert response.status_code == 200, entry.link


@pytest.fixture
def atom(client):
    """Fetch `url` as a feed reader does (no session) and parse it."""

    def fetch(url: str, *, with_client=None):
        return parse_atom((with_client or client).get(url))

    return fetch


@pytest.fixture
def unseen(make_work):
    """Works no guest may see, one of each kind, each with a title and a tag of its own:
    neither may appear in a public feed."""

    def make(author, **fields) -> dict[str, Work]:
        works = {}
        extra_tags = fields.pop("freeforms", [])
        for kind in ("draft", "hidden", "pending", "members", "rejected"):
            work = make_work(
                author,
                title=f"Secret {kind} work",
                freeforms=[f"Secret tag {kind}", *extra_tags],
                post=kind != "draft",
                **fields,
            )
            change = {
                "hidden": {"hidden_by_admin": True},
                "pending": {"approval": Approval.PENDING},
                "rejected": {"approval": Approval.REJECTED},
                "members": {"restricted": True},
            }.get(kind)
            if change:
                Work.objects.filter(pk=work.pk).update(**change)
            works[kind] = work
        return works

    return make


def assert_nothing_unseen(response_or_text, works: dict[str, Work], *, allow=()) -> None:
    text = (
        response_or_text if isinstance(response_or_text, str) else response_or_text.content.decode()
    )
    for kind, work in works.items():
        if kind in allow:
            continue
        assert work.title not in text, kind
        assert f"Secret tag {kind}" not in text, kind
