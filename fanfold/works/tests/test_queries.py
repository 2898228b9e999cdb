"""Reading and listing pages run a fixed number of queries, however big the work."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def rich_fields(n: int) -> dict:
    return {
        "characters": [f"Character {i}" for i in range(n)],
        "relationships": [f"Character {i}/Character {i + 1}" for i in range(n)],
        "freeforms": [f"Trope {i}" for i in range(n)],
        "series_title": f"Cycle {n}",
    }


@pytest.mark.parametrize("viewer", ["guest", "member"])
def test_chapter_and_index_pages_are_constant(client, make_work, make_user, viewer):
    if viewer == "member":
        client.force_login(make_user())
    small = make_work(chapters=1, **rich_fields(1))
    large = make_work(chapters=12, **rich_fields(15))
    last = large.chapters.order_by("position").last()
    for name, small_url, large_url in [
        ("chapter", small.get_absolute_url(), last.get_absolute_url()),
        (
            "full",
            small.get_absolute_url() + "?view_full_work=true",
            large.get_absolute_url() + "?view_full_work=true",
        ),
        (
            "index",
            reverse("works:navigate", args=[small.pk]),
            reverse("works:navigate", args=[large.pk]),
        ),
    ]:
        assert count_queries(client, small_url) == count_queries(client, large_url), name


def test_listing_pages_are_constant(client, make_work, make_user):
    author = make_user()
    make_work(author, **rich_fields(1))
    client.get(reverse("works:index"))  # the first listing builds this process's filter index
    one = count_queries(client, reverse("works:index"))
    for n in range(2, 25):
        make_work(author, title=f"Work {n}", chapters=2, **rich_fields(n % 6 + 1))
    client.get(reverse("works:index"))  # the index reads the new works from the change log
    assert count_queries(client, reverse("works:index")) == one
    assert count_queries(client, reverse("works:index") + "?page=2") == one
    filtered = "?tag=Character+1&exclude=Trope+2&complete=no&words_min=1&sort=kudos"
    assert count_queries(client, reverse("works:index") + filtered) <= one + 2
    assert count_queries(client, reverse("works:user_works", args=[author.username])) <= one + 2


def test_cached_guest_chapter_page_costs_one_query(client, make_work):
    work = make_work(chapters=3)
    url = work.chapters.last().get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Only the visibility/version lookup, plus the hit when hits are written at once
    # (tests flush immediately; the server buffers them).
    reads = [q for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1
