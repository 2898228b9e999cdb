"""Members' listings from the shared cache (fanfold.works.memberlistings): each member
sees their own menu, token and reading notes, every change shows on the next request,
and two members never see each other's parts."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fanfold.accounts.models import Theme, User
from fanfold.blocking.services import user_mute
from fanfold.filters.services import saved_filter_create, standing_exclusion_add
from fanfold.works.chapter_services import chapter_add
from fanfold.works.fields import ChapterFields

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("one_listing_bucket")]


UPDATED = "Updated since you last read"
HOME, WORKS = reverse("archive:home"), reverse("works:index")


def member_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def get(client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_a_warm_member_listing_comes_from_the_shared_cache(make_user, make_work):
    make_work(title="Listed Harbour")
    reader = make_user("lister")
    client = member_client(reader)
    for url in (HOME, WORKS + "?sort=kudos&words_min=1"):
        get(client, url)
        with CaptureQueriesContext(connection) as queries:
            response = get(client, url)
        assert response["X-Page-Cache"] == "hit"
        assert "Listed Harbour" in response.text and "lister" in response.text
        # The session with its member, the stamp, the inbox count, the reading notes.
        assert len(queries) <= 4, [q["sql"] for q in queries]


def test_each_member_sees_their_own_parts(make_user, make_work):
    author = make_user("author")
    work = make_work(author, title="Shared Harbour")
    amber, basil = make_user("amber"), make_user("basil")
    User.objects.filter(pk=basil.pk).update(theme=Theme.SEPIA)
    amber_client, basil_client = member_client(amber), member_client(basil)
    get(amber_client, work.get_absolute_url())
    get(basil_client, HOME)  # the shared rendering is made for basil's display first
    chapter_add(
        work=work,
        editor=author,
        data=ChapterFields(body="<p>More</p>"),
        post=True,
        now=timezone.now() + dt.timedelta(minutes=5),
    )
    for url in (HOME, WORKS):
        mine, theirs = get(amber_client, url).text, get(basil_client, url).text
        assert UPDATED in mine and UPDATED not in theirs
        assert "amber" in mine and "amber" not in theirs
        assert "basil" in theirs and "basil" not in mine
        assert "theme-sepia" in theirs and "theme-sepia" not in mine
        mine_token = amber_client.cookies["csrftoken"].value
        assert basil_client.cookies["csrftoken"].value != mine_token


def test_changes_show_on_the_next_request(make_user, make_work):
    loud = make_user("loud")
    make_work(loud, title="Loud Harbour")
    make_work(title="Quiet Harbour", fandoms=["Harbour Fandom"])
    reader = make_user("changer")
    client = member_client(reader)
    assert "Loud Harbour" in get(client, HOME).text
    assert get(client, HOME)["X-Page-Cache"] == "hit"
    # A new work.
    make_work(title="Brand New Harbour")
    assert "Brand New Harbour" in get(client, HOME).text
    # A mute: the muted member's works leave this member's listings, nobody else's.
    user_mute(muter=reader, muted=loud)
    assert "Loud Harbour" not in get(client, HOME).text
    assert "Loud Harbour" not in get(client, WORKS).text
    assert "Loud Harbour" in get(member_client(make_user()), HOME).text
    # A saved filter shows in the sidebar; an always-excluded tag leaves its works out.
    other = make_user("other")
    other_client = member_client(other)
    get(other_client, WORKS)
    saved_filter_create(user=other, name="My harbours", path=WORKS, query="sort=kudos")
    assert "My harbours" in get(other_client, WORKS).text
    assert "Quiet Harbour" in get(other_client, HOME).text
    standing_exclusion_add(user=other, tag_name="Harbour Fandom")
    assert "Quiet Harbour" not in get(other_client, WORKS).text


def test_members_see_members_only_works_and_guests_never_do(make_user, make_work):
    make_work(title="Members Harbour", restricted=True)
    reader = make_user()
    client = member_client(reader)
    get(client, HOME)
    assert "Members Harbour" in get(client, HOME).text
    assert "Members Harbour" not in get(Client(), HOME).text
    assert "Members Harbour" not in get(Client(), WORKS).text
