"""What a full blurb shows, for the tests of every list that shows one (bookmarks,
history, subscriptions): one work with something in each part of its blurb."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fanfold.works.models import Work

RICH = {
    "title": "Lantern Keepers",
    "summary": "<p>Two keepers trade the night watch.</p>",
    "relationships": ["Ada Vell/Bo Lark"],
    "characters": ["Ada Vell"],
    "freeforms": ["Slow Burn"],
}


def rich_work(make_user, make_work) -> Work:
    """A posted work by "lamplighter" with big counters (thousands separators show)."""
    work = make_work(make_user("lamplighter"), **RICH)
    Work.objects.filter(pk=work.pk).update(word_count=123_456, kudos_count=2_345, hits=98_765)
    Work.objects.filter(pk=work.pk).make_pages_stale()
    work.refresh_from_db()
    return work


def assert_full_blurb(html: str) -> None:
    """The rich work's blurb is on the page: creator, fandom, tags, summary, stats."""
    for shown in (
        "Lantern Keepers",
        ">lamplighter</a>",
        "Lighthouse Keepers",
        "Ada Vell/Bo Lark",
        "Slow Burn",
        "Two keepers trade the night watch.",
        "123,456",
        "2,345",
        "98,765",
    ):
        assert shown in html, shown


def queries_for(client, url: str) -> int:
    """The queries one request for `url` makes with every cache cold."""
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
