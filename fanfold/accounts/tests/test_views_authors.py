"""The authors list (eFiction's authors.php had one): members with works the visitor
may read, alphabetical, by letter, with their work counts."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from fanfold.works.models import Approval, Work

pytestmark = pytest.mark.django_db


def listed(client, query: str = "") -> list[str]:
    response = client.get(f"/authors{query}")
    assert response.status_code == 200
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return [" ".join(li.get_text(" ").split()) for li in page.select("ul.authors li")]


def test_authors_alphabetical_with_visible_work_counts(client, make_user, make_work):
    zed, amy, bo = make_user("zed"), make_user("Amy"), make_user("bo")
    make_work(zed)
    make_work(amy)
    make_work(amy)
    Work.objects.filter(pk=make_work(amy).pk).update(restricted=True)
    make_work(bo, post=False)
    make_user("reader-only")
    assert listed(client) == ["Amy (2 works)", "zed (1 work)"]
    client.force_login(make_user())
    assert listed(client) == ["Amy (3 works)", "zed (1 work)"]


def test_authors_of_hidden_or_unapproved_works_only_are_left_out(client, make_user, make_work):
    hidden, pending = make_user("hidden"), make_user("pending")
    Work.objects.filter(pk=make_work(hidden).pk).update(hidden_by_admin=True)
    Work.objects.filter(pk=make_work(pending).pk).update(approval=Approval.PENDING)
    assert listed(client) == []


def test_letter_filter_and_bad_letters(client, make_user, make_work):
    make_work(make_user("Amy"))
    make_work(make_user("bo"))
    assert listed(client, "?letter=b") == ["bo (1 work)"]
    assert listed(client, "?letter=B") == ["bo (1 work)"]
    assert listed(client, "?letter=%27;--") == ["Amy (1 work)", "bo (1 work)"]
    assert client.get("/authors?page=abc").status_code == 200


def test_authors_are_paginated(client, make_user, make_work, settings):
    settings.AUTHORS_PER_PAGE = 2
    for name in ("ann", "ben", "cat"):
        make_work(make_user(name))
    assert listed(client) == ["ann (1 work)", "ben (1 work)"]
    assert listed(client, "?page=2") == ["cat (1 work)"]
