"""Members' reading pages from the shared cache: what each member sees is theirs, every
change shows on their next request in every process, and a warm page costs three reads."""

import datetime
import http.client
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fanfold.accounts.models import Theme, User
from fanfold.blocking.services import user_block, user_mute
from fanfold.bookmarks.services import BookmarkFields, bookmark_create
from fanfold.comments.services import CommentFields, comment_create
from fanfold.kudos.services import kudos_give
from fanfold.sanctions.services import member_ban, member_suspend
from fanfold.subscriptions.services import subscription_create
from fanfold.works.chapter_services import chapter_update
from fanfold.works.fields import ChapterFields

pytestmark = pytest.mark.django_db


def member_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.text


# The site settings' per-process copy lives 5 s (SiteSettings.current); on a busy machine
# a slow first rendering can outlast it, and the next page reads the row again.
SETTINGS_REFRESH = 'FROM "archive_sitesettings" WHERE "archive_sitesettings"."id"'


def reads(client: Client, url: str) -> list[str]:
    """The SELECTs of a warm page, leaving out the reading history's own statements
    (written at once in tests, buffered by the server: fanfold.history) and the settings'
    periodic refresh."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith("SELECT")
        and "history_reading" not in q["sql"]
        and SETTINGS_REFRESH not in q["sql"]
    ]


def test_warm_member_pages_cost_three_reads_whatever_the_size(make_user, make_work):
    reader = make_user()
    client = member_client(reader)
    small = make_work(chapters=1)
    large = make_work(chapters=86)
    members_only = make_work(chapters=3, restricted=True)
    commenter = make_user()
    for n in range(50):
        comment_create(work=small, user=commenter, data=CommentFields(body=f"Thread {n}"))
    full = "?view_full_work=true"
    counts = {
        "small": len(reads(client, small.get_absolute_url())),
        "50 threads": len(reads(client, small.get_absolute_url() + full)),
        "86 chapters": len(reads(client, large.chapters.last().get_absolute_url())),
        "86 chapters whole": len(reads(client, large.get_absolute_url() + full)),
        "members-only": len(reads(client, members_only.get_absolute_url())),
    }
    # The session with its member, the stamp, the inbox count.
    assert max(counts.values()) <= 3, counts
    assert len(set(counts.values())) == 1, counts


def test_each_member_sees_their_own_state(make_user, make_work):
    work = make_work(chapters=2)
    giver, other = make_user("giver"), make_user("other")
    User.objects.filter(pk=giver.pk).update(theme=Theme.DARK)
    User.objects.filter(pk=other.pk).update(theme=Theme.SEPIA)
    kudos_give(work=work, user=giver)
    bookmark_create(user=giver, data=BookmarkFields(), work=work)
    subscription_create(user=giver, work=work)
    url = work.chapters.last().get_absolute_url()
    giving, reading = member_client(giver), member_client(other)
    for _ in range(2):  # the second round comes from the cache
        mine, theirs = page(giving, url), page(reading, url)
        assert "You left kudos" in mine and "You left kudos" not in theirs
        assert "Edit bookmark" in mine and "Edit bookmark" not in theirs
        assert "Unsubscribe" in mine and "Unsubscribe" not in theirs
        assert "theme-dark" in mine and "theme-sepia" in theirs
        assert "Commenting as <strong>giver</strong>" in mine
        assert "Commenting as <strong>other</strong>" in theirs
        assert reverse("bookmarks:user", args=["giver"]) in mine
        assert reverse("bookmarks:user", args=["giver"]) not in theirs
        assert reverse("bookmarks:user", args=["other"]) not in mine
    assert reading.get(url)["X-Page-Cache"] == "hit"


@pytest.fixture
def worker():
    """Switch to another process's per-process cache: LocMem caches share storage by
    location. Locations are new for each test (work and member ids repeat between tests,
    and so would the keys)."""
    prefix = uuid.uuid4().hex

    @contextmanager
    def switch(name: str):
        location = f"{prefix}-{name}"
        caches = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": location,
            },
            "shared": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": f"{prefix}-shared",
            },
        }
        with override_settings(CACHES=caches):
            yield

    return switch


def _comment(work, author, reader, make_user):
    comment_create(
        work=work,
        user=make_user("newcomer"),
        data=CommentFields(body="Fresh words"),
        chapter=work.chapters.first(),
    )
    return "Fresh words"


def _kudos(work, author, reader, make_user):
    kudos_give(work=work, user=reader)
    return "You left kudos"


def _bookmark(work, author, reader, make_user):
    bookmark_create(user=reader, data=BookmarkFields(), work=work)
    return "Edit bookmark"


def _subscription(work, author, reader, make_user):
    subscription_create(user=reader, work=work)
    return "Unsubscribe"


def _edit(work, author, reader, make_user):
    chapter = work.chapters.first()
    chapter_update(chapter=chapter, editor=author, data=ChapterFields(body="<p>Rewritten.</p>"))
    return "Rewritten."


def _block(work, author, reader, make_user):
    user_block(blocker=author, blocked=reader)
    return "blocked you from commenting"


@pytest.mark.parametrize(
    "change", [_comment, _kudos, _bookmark, _subscription, _edit, _block], ids=lambda f: f.__name__
)
def test_a_change_shows_on_the_next_request_in_every_process(make_user, make_work, worker, change):
    author = make_user()
    work = make_work(author)
    reader = make_user()
    client = member_client(reader)
    url = work.get_absolute_url()
    with worker("one"):
        page(client, url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    with worker("two"):
        page(client, url)
        expected = change(work, author, reader, make_user)
        assert expected in page(client, url)
    with worker("one"):  # still holds the old page and the old state
        assert expected in page(client, url)


def test_muting_hides_comments_from_the_muter_only(make_user, make_work, worker):
    work = make_work()
    loud, muter, other = make_user("loud"), make_user(), make_user()
    comment_create(
        work=work,
        user=loud,
        data=CommentFields(body="Shouted words"),
        chapter=work.chapters.first(),
    )
    muting, reading = member_client(muter), member_client(other)
    url = work.get_absolute_url()
    assert "Shouted words" in page(muting, url)
    with worker("two"):
        user_mute(muter=muter, muted=loud)
    assert "Shouted words" not in page(muting, url)
    assert "Shouted words" in page(reading, url)
    assert reading.get(url)["X-Page-Cache"] == "hit"


def test_own_comments_keep_their_edit_links(make_user, make_work):
    work = make_work()
    writer, other = make_user("writer"), make_user()
    comment_create(
        work=work, user=writer, data=CommentFields(body="My words"), chapter=work.chapters.first()
    )
    url = work.get_absolute_url()
    mine, theirs = page(member_client(writer), url), page(member_client(other), url)
    assert ">Edit</a>" in mine and ">Edit</a>" not in theirs


def guest_like(text: str) -> bool:
    return "Log in</a>" in text and "Log out" not in text


def test_sessions_that_ended_get_what_a_guest_gets(client, make_user, make_work, moderator):
    work = make_work()
    members_only = make_work(restricted=True)
    url = work.get_absolute_url()
    reader = make_user("ends")
    browser = member_client(reader)
    page(browser, url)  # warm: the shared page and the state are cached
    # A forged cookie.
    forged = Client()
    forged.cookies["sessionid"] = browser.cookies["sessionid"].value[:-2] + "xx"
    assert guest_like(page(forged, url))
    # A copy of the cookie kept after logging out.
    copy = Client()
    copy.cookies["sessionid"] = browser.cookies["sessionid"].value
    page(copy, url)
    assert browser.post(reverse("accounts:logout")).status_code == 302
    assert guest_like(page(copy, url))
    assert copy.get(members_only.get_absolute_url())["Location"].startswith(
        reverse("accounts:login")
    )
    # The password changed elsewhere.
    elsewhere = member_client(reader)
    page(elsewhere, url)
    reader.set_password("another-long-passphrase")
    reader.save()
    assert guest_like(page(elsewhere, url))
    # Deactivated, then banned.
    for end in ("deactivate", "ban"):
        member = make_user(f"member-{end}")
        session = member_client(member)
        page(session, url)
        if end == "deactivate":
            member.is_active = False
            member.save()
        else:
            member_ban(actor=moderator, member=member, reason="Spam.", hide_works=False)
        assert guest_like(page(session, url))


def test_a_suspended_member_is_told_on_the_page(make_user, make_work, moderator):
    work = make_work()
    member = make_user()
    session = member_client(member)
    url = work.get_absolute_url()
    page(session, url)
    member_suspend(
        actor=moderator,
        member=member,
        until=timezone.now() + datetime.timedelta(days=2),
        reason="Spoilers everywhere.",
    )
    assert "Spoilers everywhere." in page(session, url)


@pytest.mark.django_db(transaction=True)
def test_two_members_reading_at_once_never_see_each_other(live_server, make_user, make_work):
    work = make_work(chapters=2)
    chapter = work.chapters.last()
    loud = make_user("loud")
    comment_create(work=work, user=loud, data=CommentFields(body="Shouted words"), chapter=chapter)
    amber, basil = make_user("amber"), make_user("basil")
    User.objects.filter(pk=amber.pk).update(theme=Theme.DARK)
    User.objects.filter(pk=basil.pk).update(theme=Theme.SEPIA, font_size=130)
    kudos_give(work=work, user=amber)
    user_mute(muter=basil, muted=loud)
    cookies = {
        user.username: member_client(user).cookies["sessionid"].value for user in (amber, basil)
    }
    address = urlsplit(live_server.url)

    def fetch(name: str) -> tuple[str, str]:
        conn = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        try:
            conn.request(
                "GET", chapter.get_absolute_url(), headers={"Cookie": f"sessionid={cookies[name]}"}
            )
            return name, conn.getresponse().read().decode()
        finally:
            conn.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(fetch, ["amber", "basil"] * 15))
    for name, body in results:
        other = "basil" if name == "amber" else "amber"
        assert f"Commenting as <strong>{name}</strong>" in body
        assert reverse("bookmarks:user", args=[other]) not in body
        if name == "amber":
            assert 'class="theme-dark scale-100"' in body
            assert "You left kudos" in body and "Shouted words" in body
        else:
            assert 'class="theme-sepia scale-130"' in body
            assert "You left kudos" not in body and "Shouted words" not in body


def test_the_inbox_badge_counts_on_cached_pages(make_user, make_work):
    author, fan = make_user(), make_user()
    own, other = make_work(author), make_work()
    session = member_client(author)
    url = other.get_absolute_url()
    assert 'class="badge"' not in page(session, url)
    for body in ("Lovely", "More please"):
        comment_create(
            work=own, user=fan, data=CommentFields(body=body), chapter=own.chapters.first()
        )
    response = session.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert '<span class="badge">2</span>' in response.text


def test_marking_for_later_shows_on_the_next_page(make_user, make_work):
    work = make_work()
    session = member_client(make_user())
    url = work.get_absolute_url()
    assert ">Mark for later</button>" in page(session, url)
    session.post(reverse("history:mark", args=[work.pk]), {"marked": "1"})
    session.get(url)  # the flash message's page (the full render)
    response = session.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert ">Mark as read</button>" in response.text
