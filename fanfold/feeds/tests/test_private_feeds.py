"""Private feeds: a member's secret key opens their saved filters and subscriptions."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from fanfold.blocking.services import user_mute
from fanfold.feeds.models import FeedKey
from fanfold.feeds.services import feed_key_issue
from fanfold.feeds.tests.conftest import assert_links_resolve, assert_nothing_unseen, parse_atom
from fanfold.filters.services import saved_filter_create
from fanfold.subscriptions.services import subscription_create
from fanfold.works.chapter_services import chapter_add
from fanfold.works.fields import ChapterFields
from fanfold.works.models import Work

pytestmark = pytest.mark.django_db


def addresses(page) -> dict[str, str]:
    soup = BeautifulSoup(page.content, "html.parser")
    return {field["aria-label"]: field["value"] for field in soup.select("#addresses input")}


def test_turning_on_shows_addresses_once_and_keeps_only_a_digest(client, make_user):
    member = make_user("Wren")
    saved_filter_create(user=member, name="Fluffy things", path="/works", query="tag=Fluff")
    client.force_login(member)
    assert "Your private feeds are off" in client.get("/preferences/feeds").content.decode()
    page = client.post("/preferences/feeds", {"action": "issue"})
    shown = addresses(page)
    assert set(shown) == {
        "Subscriptions feed address",
        "Feed address of Fluffy things",
        "OPDS catalogue address",
    }
    secret = re.search(r"/feeds/private/([^/]+)/", shown["Subscriptions feed address"]).group(1)
    key = FeedKey.objects.get(user=member)
    assert secret not in key.secret_digest and len(key.secret_digest) == 64
    # Shown as text to copy, never as a link to follow.
    assert "/feeds/private/" not in " ".join(
        a.get("href", "") for a in BeautifulSoup(page.content, "html.parser").find_all("a")
    )
    assert page["Cache-Control"].startswith("max-age=0")
    assert addresses(client.get("/preferences/feeds")) == {}


def test_no_page_offers_a_saved_search_as_a_feed(client, make_user, make_work):
    member = make_user()
    make_work(freeforms=["Fluff"])
    saved_filter_create(user=member, name="Fluffy", path="/works", query="tag=Fluff")
    feed_key_issue(user=member)
    client.force_login(member)
    for url in ("/works?tag=Fluff", "/filters/saved", "/preferences/feeds"):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        hrefs = [a.get("href", "") for a in soup.find_all(["a", "link"])]
        assert not [h for h in hrefs if "/feeds/private/" in h or h.endswith(".atom")], url


def test_saved_filter_feed_has_what_the_member_may_read(client, make_user, make_work, unseen):
    member = make_user("Wren")
    author, muted = make_user("Author"), make_user("Muted")
    user_mute(muter=member, muted=muted)
    make_work(author, title="Open fluff", freeforms=["Fluff"])
    make_work(author, title="Members fluff", freeforms=["Fluff"], restricted=True)
    make_work(muted, title="Muted fluff", freeforms=["Fluff"])
    make_work(author, title="Angst only", freeforms=["Angst"])
    hidden = unseen(author, freeforms=["Fluff"])
    saved = saved_filter_create(
        user=member, name="Fluffy", path="/works", query="tag=Fluff&sort=kudos"
    )
    secret = feed_key_issue(user=member)
    response = client.get(f"/feeds/private/{secret}/filters/{saved.pk}")
    parsed = parse_atom(response)
    assert {e.title.split(" by ")[0] for e in parsed.entries} == {
        "Open fluff",
        "Members fluff",
        "Secret members work",
    }
    assert response["Cache-Control"] == "private, no-store"
    assert_nothing_unseen(response, hidden, allow=("members",))
    client.force_login(member)
    assert_links_resolve(client, parsed)


def test_saved_filters_of_tag_and_creator_pages(client, make_user, make_work):
    member = make_user()
    author = make_user("Author")
    make_work(author, title="Fluff by author", freeforms=["Fluff"])
    make_work(make_user(), title="Fluff by another", freeforms=["Fluff"])
    secret = feed_key_issue(user=member)
    on_tag = saved_filter_create(user=member, name="Tag", path="/tags/Fluff/works", query="")
    on_author = saved_filter_create(user=member, name="By", path="/users/Author/works", query="")
    gone = saved_filter_create(user=member, name="Gone", path="/nowhere", query="")
    tag_feed = parse_atom(client.get(f"/feeds/private/{secret}/filters/{on_tag.pk}"))
    assert len(tag_feed.entries) == 2
    author_feed = parse_atom(client.get(f"/feeds/private/{secret}/filters/{on_author.pk}"))
    assert [e.title for e in author_feed.entries] == ["Fluff by author by Author"]
    assert client.get(f"/feeds/private/{secret}/filters/{gone.pk}").status_code == 404


def test_subscriptions_feed_lists_new_chapters(client, make_user, make_work, unseen):
    member = make_user("Wren")
    author = make_user("Author")
    work = make_work(author, title="Followed", restricted=True)
    make_work(author, title="Not followed")
    subscription_create(user=member, work=work)
    chapter_add(
        work=work, editor=author, data=ChapterFields(body="<p>Secret prose.</p>"), post=True
    )
    secret = feed_key_issue(user=member)
    response = client.get(f"/feeds/private/{secret}/subscriptions")
    parsed = parse_atom(response)
    assert [e.title for e in parsed.entries] == [
        "Followed: Chapter 2",
        "Followed: Chapter 1: Beginnings",
    ]
    assert "Secret prose" not in response.content.decode()
    client.force_login(member)
    assert_links_resolve(client, parsed)
    # Following a creator brings their new works; what the member may not see stays out.
    client.logout()
    subscription_create(user=member, creator=author)
    hidden = unseen(author)
    response = client.get(f"/feeds/private/{secret}/subscriptions")
    assert "Not followed" in response.content.decode()
    assert_nothing_unseen(response, hidden, allow=("members",))
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    assert "Followed:" not in client.get(f"/feeds/private/{secret}/subscriptions").content.decode()


def test_muted_creators_leave_the_subscriptions_feed(client, make_user, make_work):
    member, author = make_user(), make_user()
    work = make_work(author, title="Followed")
    subscription_create(user=member, work=work)
    secret = feed_key_issue(user=member)
    assert "Followed" in client.get(f"/feeds/private/{secret}/subscriptions").content.decode()
    user_mute(muter=member, muted=author)
    assert "Followed" not in client.get(f"/feeds/private/{secret}/subscriptions").content.decode()


def test_a_new_key_or_revoking_closes_the_old_addresses(client, make_user):
    member = make_user()
    old = feed_key_issue(user=member)
    new = feed_key_issue(user=member)
    assert client.get(f"/feeds/private/{old}/subscriptions").status_code == 404
    assert client.get(f"/feeds/private/{new}/subscriptions").status_code == 200
    client.force_login(member)
    client.post("/preferences/feeds", {"action": "revoke"})
    client.logout()
    assert client.get(f"/feeds/private/{new}/subscriptions").status_code == 404
    assert client.get("/feeds/private/nonsense/subscriptions").status_code == 404


def test_a_closed_account_has_no_private_feeds(client, make_user):
    member = make_user()
    secret = feed_key_issue(user=member)
    member.is_active = False
    member.save()
    assert client.get(f"/feeds/private/{secret}/subscriptions").status_code == 404


def test_another_members_saved_filter_is_missing(client, make_user):
    member, other = make_user(), make_user()
    theirs = saved_filter_create(user=other, name="Theirs", path="/works", query="")
    secret = feed_key_issue(user=member)
    assert client.get(f"/feeds/private/{secret}/filters/{theirs.pk}").status_code == 404
