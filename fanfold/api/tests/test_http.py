"""The API's manners: cursors, ETags, rate limits and errors, all as JSON."""

from __future__ import annotations

import pytest
from django.core import signing

from fanfold.api.cursors import SALT
from fanfold.api.services import api_token_create, api_token_revoke
from fanfold.filters.query import PER_PAGE

from .conftest import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(make_user, make_work):
    author = make_user("author")
    return [
        make_work(author, title=f"Tale {n:02}", freeforms=[f"Motif {n:02}", "Shared Motif"])
        for n in range(PER_PAGE + 3)
    ]


def _walk(api: Api, path: str, data: dict) -> list[list[dict]]:
    pages = []
    while True:
        page = api.json(path, data)
        pages.append(page["results"])
        if not page["next_cursor"]:
            return pages
        data = {**data, "cursor": page["next_cursor"]}


def test_cursors_walk_every_listing_once_in_order(guest_api, many):
    works = _walk(guest_api, "/works", {"sort": "title"})
    assert [len(p) for p in works] == [PER_PAGE, 3]
    titles = [w["title"] for page in works for w in page]
    assert titles == sorted(w.title for w in many)
    tags = _walk(guest_api, "/tags", {"q": "motif", "limit": 7})
    names = [t["name"] for page in tags for t in page]
    assert names == sorted({f"Motif {n:02}" for n in range(PER_PAGE + 3)} | {"Shared Motif"})
    work = many[0]
    chapters = guest_api.json(f"/works/{work.pk}/chapters", {"limit": 1})
    assert chapters["next_cursor"] is None and len(chapters["results"]) == 1


def test_while_the_index_is_prepared_the_total_says_it_is_a_lower_bound(
    guest_api, many, monkeypatch, tiny_fallback_limits
):
    from fanfold.filters import selectors

    counted = guest_api.json("/works", {"sort": "title"})
    assert (counted["total"], counted["total_is_lower_bound"]) == (PER_PAGE + 3, False)
    # No snapshot yet (first start, rebuild): the database stops counting at the limit.
    monkeypatch.setattr(selectors, "current_index", lambda: None)
    first = guest_api.json("/works", {"sort": "title"})
    assert (first["total"], first["total_is_lower_bound"]) == (2, True)
    assert [w["title"] for w in first["results"]] == [w.title for w in many[:PER_PAGE]]
    narrow = guest_api.json("/works", {"tag": "Motif 01"})
    assert (narrow["total"], narrow["total_is_lower_bound"]) == (1, False)


def test_a_cursor_is_refused_when_forged_edited_or_sent_elsewhere(guest_api, many):
    cursor = guest_api.json("/works", {"sort": "title"})["next_cursor"]
    head, _, signature = cursor.rpartition(":")
    forged = signing.dumps({"s": "works:x", "p": 99}, salt=SALT)
    for data in (
        {"sort": "title", "cursor": "not-a-cursor"},
        {"sort": "title", "cursor": head + ":" + signature[::-1]},
        {"sort": "title", "cursor": forged},
        {"sort": "title", "cursor": "x" * 401},
        {"sort": "title", "cursor": "%%%:::"},
        {"sort": "kudos", "cursor": cursor},  # another listing's cursor
    ):
        response = guest_api.get("/works", data)
        assert response.status_code == 400, data
        assert "cursor" in response.json()["detail"] or response.json()["errors"]
    assert guest_api.get("/tags", {"cursor": cursor}).status_code == 400
    assert guest_api.get("/works", {"sort": "title", "cursor": cursor}).status_code == 200


def test_the_same_answer_again_is_304_not_modified(guest_api, make_work):
    work = make_work(title="Steady")
    first = guest_api.get(f"/works/{work.pk}")
    etag = first["ETag"]
    assert etag and "Authorization" in first["Vary"]
    again = guest_api.get(f"/works/{work.pk}", None, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    work.title = "Changed"
    work.save()
    changed = guest_api.get(f"/works/{work.pk}", None, **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json()["title"] == "Changed"


def test_malformed_parameters_are_400_naming_the_field(guest_api):
    for data, field in (
        ({"words_min": "x"}, "words_min"),
        ({"words_min": "9" * 30}, "words_min"),
        ({"rating": "-1"}, "rating"),
        ({"updated_from": "2024-02-30"}, "updated_from"),
        ({"sort": "nonsense"}, "sort"),
        ({"language": "xx"}, "language"),
        ({"q": "x" * 201}, "q"),
    ):
        response = guest_api.get("/works", data)
        assert response.status_code == 400, data
        assert [e["loc"][:2] for e in response.json()["errors"]] == [["query", field]]
    assert guest_api.get("/tags", {"limit": "0"}).status_code == 400
    assert guest_api.get("/tags", {"type": "nope"}).status_code == 400


def test_unknown_ids_and_paths_are_json_404(guest_api):
    for path in ("/works/0", "/works/" + "9" * 25, "/works/123", "/tags/5000", "/nowhere"):
        response = guest_api.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]


def test_tokens_are_needed_for_own_lists_and_refused_when_revoked(make_user):
    member = make_user()
    created = api_token_create(user=member, name="phone")
    assert Api().get("/me/bookmarks").status_code == 401
    assert Api("ff_wrong").get("/me/bookmarks").status_code == 401
    assert Api("ff_wrong").get("/works").status_code == 401  # not silently a guest
    response = Api(created.secret).get("/me/bookmarks")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-cache"
    assert api_token_revoke(user=member, token_id=created.token.pk)
    refused = Api(created.secret).get("/me/bookmarks")
    assert refused.status_code == 401 and refused["WWW-Authenticate"].startswith("Bearer")


def test_limits_per_address_and_per_token_answer_429_with_retry_after(
    settings, enable_ratelimit, make_user
):
    settings.API_RATE_PER_IP = "3/m"
    settings.API_RATE_PER_TOKEN = "5/m"
    guest = Api()
    assert [guest.get("/tags").status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = guest.get("/tags")
    assert refused.json()["detail"] and 1 <= int(refused["Retry-After"]) <= 60
    # A token has its own allowance, apart from its address's.
    member = Api(api_token_create(user=make_user(), name="app").secret)
    assert [member.get("/tags").status_code for _ in range(6)] == [200] * 5 + [429]
    assert int(member.get("/me/history")["Retry-After"]) >= 1
    other = Api(api_token_create(user=make_user(), name="app").secret)
    assert other.get("/tags").status_code == 200
