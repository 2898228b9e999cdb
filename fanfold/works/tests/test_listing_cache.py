"""Guests' listings come whole from the page cache, and a change shows at once; members'
listings cost the same number of queries for one work as for a full page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fanfold.blocking.services import user_mute
from fanfold.works.services import work_delete
from fanfold.works.staff_services import work_set_hidden

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("one_listing_bucket")]


FILTERED = "/works?tag=Lighthouse+Keepers&words_min=1&sort=kudos"


def queries(client: Client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("path", ["/", "/works", FILTERED])
def test_a_guests_listing_is_served_from_the_cache_with_one_query(client, make_work, path):
    make_work(title="Harbour Lights")
    first = client.get(path)
    assert first["X-Page-Cache"] == "miss"
    n, page = queries(Client(), path)
    assert n == 1 and "Harbour Lights" in page


def test_a_hidden_or_deleted_work_leaves_the_cached_listings_at_once(client, make_work, moderator):
    hidden, deleted = make_work(title="Soon Hidden"), make_work(title="Soon Deleted")
    for path in ("/", "/works"):
        page = client.get(path).content.decode()
        assert "Soon Hidden" in page and "Soon Deleted" in page
    work_set_hidden(work=hidden, hidden=True, actor=moderator, notify=False)
    work_delete(work=deleted, editor=deleted.creators[0].user)
    for path in ("/", "/works"):
        page = client.get(path).content.decode()
        assert "Soon Hidden" not in page and "Soon Deleted" not in page


def test_each_guest_gets_their_own_csrf_token_in_a_cached_listing(make_work):
    make_work()
    tokens = set()
    for _ in range(2):
        guest = Client()
        page = guest.get("/").content.decode()
        assert "~csrf~" not in page
        tokens.add(guest.cookies["csrftoken"].value if "csrftoken" in guest.cookies else page)
    assert len(tokens) == 2


@pytest.mark.parametrize("path", ["/", "/works", FILTERED])
def test_a_members_listing_costs_the_same_queries_for_one_work_and_a_full_page(
    client, make_user, make_work, path
):
    member = make_user("reader")
    client.force_login(member)
    make_work(title="The Only One")
    client.get(path)  # sessions, caches and the filter index warm
    one, page = queries(client, path)
    assert "The Only One" in page
    for i in range(24):
        make_work(title=f"Another {i}")
    client.get(path)  # blurbs rendered into the blurb cache
    many, page = queries(client, path)
    assert page.count('class="work blurb') >= 20
    assert many == one


def test_members_never_get_the_guests_cached_listing(client, make_user, make_work):
    author = make_user("author")
    make_work(author, title="Muted Author's Work")
    make_work(title="Members Only Work", restricted=True)
    assert "Muted Author" in Client().get("/works").content.decode()  # cached for guests
    member = make_user("reader")
    user_mute(muter=member, muted=author)
    client.force_login(member)
    for path in ("/", "/works"):
        page = client.get(path).content.decode()
        assert "Muted Author" not in page and "Members Only Work" in page
