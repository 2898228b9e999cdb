"""The OPDS 1.2 catalogue at /opds, as an e-reader app browses it."""

from __future__ import annotations

import base64

import pytest
from lxml import etree

from fanfold.bookmarks.services import BookmarkFields, bookmark_create
from fanfold.exports.links import download_links
from fanfold.feeds.services import feed_key_issue
from fanfold.feeds.tests.conftest import assert_nothing_unseen
from fanfold.history.services import reading_mark_for_later
from fanfold.kudos.services import kudos_give
from fanfold.subscriptions.services import subscription_create

pytestmark = pytest.mark.django_db

ACQUIRE = "http://opds-spec.org/acquisition"


PASSWORD = "a-long-passphrase"  # make_user's


def basic(username: str, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def walk(opds, start: str, **headers) -> dict[str, object]:
    """Every catalogue document reachable from `start` (navigation and paging links)."""
    seen: dict[str, object] = {}
    todo = [start]
    while todo:
        url = todo.pop().removeprefix("http://testserver")
        # A guest's shelves answer 401 (tested on their own).
        guest_shelf = "/shelves/" in url and not headers and "/opds/k/" not in url
        if url in seen or guest_shelf:
            continue
        doc = opds(url, **headers)
        seen[url] = doc
        for link in doc.root.iter("{http://www.w3.org/2005/Atom}link"):
            if "opds-catalog" in (link.get("type") or "") and link.get("rel") != "self":
                todo.append(link.get("href"))
    return seen


def test_the_whole_guest_catalogue_validates(opds, make_user, make_work):
    author = make_user("Wren")
    make_work(author, title="Harbour Lights", fandoms=("Lighthouse Keepers",))
    make_work(author, title="Zebra Crossing", fandoms=("zoo keepers",))
    make_work(author, title="Kanji", fandoms=("日本の話",))
    documents = walk(opds, "/opds")
    paths = set(documents)
    assert {"/opds", "/opds/newest", "/opds/popular", "/opds/fandoms", "/opds/fandoms/L"} <= paths
    assert {"/opds/fandoms/Z", "/opds/fandoms/other", "/opds/tags/Lighthouse Keepers"} <= {
        p.replace("%20", " ") for p in paths
    }
    root = documents["/opds"]
    assert root.link("search").endswith("/opds/search.xml")
    assert root.link("start").endswith("/opds")
    assert "Newest works" in root.titles and "Fandoms A–Z" in root.titles
    letters = documents["/opds/fandoms"]
    assert letters.titles == ["L", "Z", "Other"]


def test_entries_have_acquisition_links_and_metadata(opds, make_user, make_work):
    work = make_work(
        make_user("Wren"), title="Harbour Lights", summary="<p>Boats <em>come</em> home.</p>"
    )
    doc = opds("/opds/newest", kind="acquisition")
    entry = doc.feed.entries[0]
    assert entry.title == "Harbour Lights"
    assert entry.authors == ["Wren"]
    assert entry.summary == "Boats come home."
    offered = {(a.media_type, a.href.split("/")[-1]) for a in entry.acquisition_links}
    # Exactly the formats this install builds (AZW3 only where calibre is installed).
    assert offered == {(link.mime_type, link.url.split("/")[-1]) for link in download_links(work)}
    assert {"application/epub+zip", "application/pdf", "text/html"} <= {m for m, _ in offered}
    assert (
        entry.best_epub_link().href == f"http://testserver/downloads/{work.pk}/harbour_lights.epub"
    )
    node = doc.entries[0]
    assert node.findtext("{http://purl.org/dc/terms/}language") == "en"
    terms = {c.get("term") for c in node.findall("{http://www.w3.org/2005/Atom}category")}
    assert {"Lighthouse Keepers", "General Audiences"} <= terms


def test_most_kudos_comes_first(opds, make_user, make_work):
    quiet = make_work(title="Quiet")
    loved = make_work(title="Loved")
    for _ in range(2):
        kudos_give(work=loved, user=make_user())
    kudos_give(work=quiet, user=make_user())
    assert opds("/opds/popular").titles == ["Loved", "Quiet"]


def test_pages_link_first_previous_and_next(opds, make_user, make_work):
    author = make_user()
    for number in range(23):
        make_work(author, title=f"Work {number:02}")
    first = opds("/opds/newest")
    assert len(first.entries) == 20
    assert first.link("previous") is None
    assert first.root.findtext("{http://a9.com/-/spec/opensearch/1.1/}totalResults") == "23"
    second = opds(first.link("next"))
    assert len(second.entries) == 3
    assert second.link("next") is None
    assert second.link("previous").endswith("page=1")
    assert second.link("first").endswith("page=1")
    assert opds("/opds/newest?page=²").titles == first.titles


def test_no_total_while_the_index_is_prepared(
    opds, make_user, make_work, monkeypatch, tiny_fallback_limits
):
    from fanfold.filters import selectors

    author = make_user()
    for number in range(3):
        make_work(author, title=f"Work {number:02}")
    monkeypatch.setattr(selectors, "current_index", lambda: None)
    # The database stopped counting ("more than 2"): no count is better than a wrong one.
    page = opds("/opds/newest")
    assert page.titles == ["Work 02", "Work 01", "Work 00"]
    assert page.root.find("{http://a9.com/-/spec/opensearch/1.1/}totalResults") is None


def test_search_description_and_search(client, opds, make_user, make_work):
    make_work(title="Harbour Lights", freeforms=["Fluff"])
    make_work(title="Stormy Night", freeforms=["Angst"])
    response = client.get("/opds/search.xml")
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    description = etree.fromstring(response.content)
    url = description.find("{http://a9.com/-/spec/opensearch/1.1/}Url")
    assert "kind=acquisition" in url.get("type")
    template = url.get("template")
    assert template == "http://testserver/opds/search?q={searchTerms}"
    assert opds(template.replace("{searchTerms}", "harbour")).titles == ["Harbour Lights"]
    assert opds('/opds/search?q="stormy night"').titles == ["Stormy Night"]
    assert opds("/opds/search").titles == ["Stormy Night", "Harbour Lights"]


def test_guests_see_nothing_hidden(opds, make_user, make_work, unseen):
    author = make_user("Wren")
    make_work(author, title="Shown work")
    hidden = unseen(author, fandoms=("Secret fandom",))
    documents = walk(opds, "/opds")
    text = "".join(doc.response.content.decode() for doc in documents.values())
    assert "Shown work" in text
    assert_nothing_unseen(text, hidden)
    assert "Secret fandom" not in text
    # Members see the members-only work, never the others.
    member = make_user()
    text = "".join(
        doc.response.content.decode()
        for doc in walk(opds, "/opds", **basic(member.username)).values()
    )
    assert "Secret members work" in text
    assert_nothing_unseen(text, hidden, allow=("members",))


def shelves_of(make_user, make_work):
    member = make_user("Reader")
    author = make_user("Author")
    bookmarked = make_work(author, title="Bookmarked", restricted=True)
    later = make_work(author, title="Later")
    followed = make_work(author, title="Followed")
    make_work(author, title="Elsewhere")
    bookmark_create(user=member, data=BookmarkFields(), work=bookmarked)
    reading_mark_for_later(user=member, work=later, marked=True)
    subscription_create(user=member, work=followed)
    return member


def test_shelves_need_a_member(client, opds, make_user, make_work):
    member = shelves_of(make_user, make_work)
    for shelf in ("bookmarks", "later", "subscriptions"):
        response = client.get(f"/opds/shelves/{shelf}")
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Basic realm=")
    assert (
        client.get("/opds/shelves/bookmarks", **basic(member.username, "wrong")).status_code == 401
    )
    assert client.get("/opds/shelves/nothing", **basic(member.username)).status_code == 404
    auth = basic(member.username)
    assert opds("/opds/shelves/bookmarks", **auth).titles == ["Bookmarked"]
    assert opds("/opds/shelves/later", **auth).titles == ["Later"]
    assert opds("/opds/shelves/subscriptions", **auth).titles == ["Followed"]
    assert opds("/opds/shelves/bookmarks", **auth).response["Cache-Control"] == "private, no-store"


def test_the_feed_key_opens_the_catalogue_without_a_password(opds, make_user, make_work):
    member = shelves_of(make_user, make_work)
    secret = feed_key_issue(user=member)
    root = opds(f"/opds/k/{secret}")
    hrefs = [link.get("href") for link in root.root.iter("{http://www.w3.org/2005/Atom}link")]
    assert all(f"/opds/k/{secret}/" in h or h.endswith(f"/opds/k/{secret}") for h in hrefs)
    documents = walk(opds, f"/opds/k/{secret}")
    assert documents[f"/opds/k/{secret}/shelves/bookmarks"].titles == ["Bookmarked"]
    assert "Bookmarked" in [
        t for d in documents.values() for t in d.titles
    ]  # members-only works reach the member's own catalogue
    feed_key_issue(user=member)
    from django.test import Client

    assert Client().get(f"/opds/k/{secret}").status_code == 404


def test_failed_basic_logins_are_limited(client, make_user, enable_ratelimit):
    member = make_user()
    for _ in range(5):
        assert (
            client.get("/opds/shelves/later", **basic(member.username, "nope")).status_code == 401
        )
    refused = client.get("/opds/shelves/later", **basic(member.username))
    assert refused.status_code == 429
    assert refused["Retry-After"]


def test_a_working_password_is_never_limited(client, make_user, enable_ratelimit):
    member = make_user()
    for _ in range(12):
        assert client.get("/opds/shelves/later", **basic(member.username)).status_code == 200


def test_malformed_authorization_is_a_challenge(client):
    for header in ("Basic !!!", "Basic " + base64.b64encode(b"nocolon").decode(), "Bearer x"):
        response = client.get("/opds/shelves/later", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
    assert client.get("/opds", HTTP_AUTHORIZATION="Basic !!!").status_code == 401


def test_the_schema_check_fails_on_what_opds_forbids(client, opds_schema, make_work):
    make_work(title="Harbour Lights")
    atom = "{http://www.w3.org/2005/Atom}"
    good = etree.fromstring(client.get("/opds/newest").content)
    assert opds_schema.validate(good)
    no_id = etree.fromstring(etree.tostring(good))
    no_id.remove(no_id.find(f"{atom}id"))
    assert not opds_schema.validate(no_id)
    buy = etree.fromstring(etree.tostring(good))
    link = buy.find(f"{atom}entry/{atom}link[@rel='{ACQUIRE}']")
    link.set("rel", "http://opds-spec.org/acquisition/buy")  # a sale needs a price
    assert not opds_schema.validate(buy)
    spaced = etree.fromstring(etree.tostring(good))
    spaced.find(f"{atom}link[@rel='self']").set("href", "http://testserver/opds/a b")
    assert not opds_schema.validate(spaced)


def test_a_page_of_works_costs_the_same_queries_for_few_or_many(client, make_user, make_work):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    author = make_user()
    make_work(author, title="One", series_title="Tides")
    counts = []
    for extra in (0, 15):
        for number in range(extra):
            make_work(author, title=f"More {number}", freeforms=[f"Tag {number}"])
        client.get("/opds/newest")  # the filter index catches up with the new works
        cache.clear()  # and the feed is rendered afresh
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/opds/newest").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_members_catalogue_leaves_out_muted_creators(client, opds, make_user, make_work):
    from fanfold.blocking.services import user_mute

    member, muted = make_user(), make_user()
    make_work(title="Kept")
    make_work(muted, title="Muted away")
    user_mute(muter=member, muted=muted)
    assert opds("/opds/newest", **basic(member.username)).titles == ["Kept"]
    assert opds("/opds/newest").titles == ["Muted away", "Kept"]
    assert client.head("/opds/newest").status_code == 200


def _epub_link(doc, title: str) -> str:
    entry = next(e for e in doc.feed.entries if e.title == title)
    link = next(a for a in entry.acquisition_links if a.media_type == "application/epub+zip")
    return link.href.removeprefix("http://testserver")


def test_a_members_app_downloads_members_only_works_by_password_or_key(
    client, opds, make_user, make_work
):
    member = shelves_of(make_user, make_work)  # "Bookmarked" is members-only
    auth = basic(member.username)
    href = _epub_link(opds("/opds/shelves/bookmarks", **auth), "Bookmarked")
    assert href.startswith("/opds/download/")
    book = client.get(href, **auth)
    assert book.status_code == 200 and book["Content-Type"] == "application/epub+zip"
    assert b"".join(book.streaming_content).startswith(b"PK")
    # Without the password the same address is a guest's: the site's download, which
    # sends a guest to log in rather than hand over a members-only work.
    from django.test import Client

    guest = Client().get(href, follow=True)
    assert guest.redirect_chain[0][0].startswith("/downloads/")
    assert "/login" in guest.redirect_chain[-1][0]

    secret = feed_key_issue(user=member)
    keyed = _epub_link(opds(f"/opds/k/{secret}/shelves/bookmarks"), "Bookmarked")
    assert keyed.startswith(f"/opds/k/{secret}/download/")
    assert Client().get(keyed).status_code == 200
    feed_key_issue(user=member)  # a new key: the old one opens nothing
    assert Client().get(keyed).status_code == 404


def test_a_members_app_gets_adult_works_only_with_their_standing_consent(
    client, make_user, make_work
):
    member = make_user()
    work = make_work(title="Night Tide", rating="Explicit")
    href = f"/opds/download/{work.pk}/night_tide.epub"
    refused = client.get(href, **basic(member.username))
    assert refused.status_code == 403
    assert "show adult works without the warning page" in refused.content.decode()
    member.view_adult = True
    member.save(update_fields=["view_adult"])
    assert client.get(href, **basic(member.username)).status_code == 200


def test_a_members_app_cannot_download_what_the_site_would_not_give_them(
    client, make_user, make_work
):
    member = make_user()
    draft = make_work(title="Unposted", post=False)
    assert (
        client.get(f"/opds/download/{draft.pk}/x.epub", **basic(member.username)).status_code == 404
    )
    own_draft = make_work(member, title="Mine, unposted", post=False)
    assert (
        client.get(f"/opds/download/{own_draft.pk}/x.epub", **basic(member.username)).status_code
        == 404
    )
    posted = make_work(title="Posted")
    assert (
        client.get(f"/opds/download/{posted.pk}/x.mobi", **basic(member.username)).status_code
        == 404
    )
    assert (
        client.get(
            f"/opds/download/{posted.pk}/x.epub", **basic(member.username, "wrong")
        ).status_code
        == 401
    )
