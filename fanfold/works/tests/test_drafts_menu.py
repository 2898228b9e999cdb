"""'Drafts (N)' in the member menu: right on every page, cached member pages included,
and read in the query the inbox badge already made."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.accounts.models import User
from fanfold.comments.selectors import unread_count
from fanfold.works.menu import menu_counts
from fanfold.works.models import Creatorship
from fanfold.works.services import cocreator_invite, creatorship_accept, work_post
from fanfold.works.tests.test_memberpages import reads

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def drafts_link(n: int) -> str:
    return f'<a href="{reverse("works:drafts")}">Drafts ({n})</a>'


def test_the_menu_counts_the_members_drafts(make_user, make_work):
    author = make_user("wren")
    first = make_work(author, post=False, title="First Draft")
    make_work(author, post=False, title="Second Draft")
    make_work(author)  # posted: not a draft
    client = logged_in(author)
    assert drafts_link(2) in client.get(reverse("works:index")).text
    work_post(work=first, editor=author)
    assert drafts_link(1) in client.get(reverse("works:index")).text


def test_no_drafts_no_number(make_user):
    page = logged_in(make_user()).get(reverse("works:index")).text
    assert f'<a href="{reverse("works:drafts")}">Drafts</a>' in page


def test_cached_member_pages_show_the_members_own_count(make_user, make_work):
    reader = make_user("reader")
    make_work(reader, post=False)
    work = make_work(chapters=2)
    client = logged_in(reader)
    url = work.chapters.last().get_absolute_url()
    for _ in range(2):  # the second comes from the shared cache
        response = client.get(url)
        assert drafts_link(1) in response.text
    assert response["X-Page-Cache"] == "hit"
    other = make_user("other")
    assert f'href="{reverse("works:drafts")}">Drafts</a>' in logged_in(other).get(url).text
    make_work(reader, post=False)
    assert drafts_link(2) in client.get(url).text  # a new draft shows at once


def test_co_created_drafts_count_once_accepted(make_user, make_work):
    author, fern = make_user("wren"), make_user("fern")
    work = make_work(author, post=False)
    invitation = cocreator_invite(work=work, inviter=author, pseud=fern.default_pseud)
    counts = menu_counts(fern)
    assert (counts.drafts, counts.inbox) == (0, 1)  # the invitation waits in the inbox
    creatorship_accept(creatorship=invitation, user=fern)
    counts = menu_counts(fern)
    assert (counts.drafts, counts.inbox) == (1, 0)


def test_the_drafts_cost_no_query_of_their_own(make_user, make_work):
    """The full render's menu: the inbox count alone (mutes, rights, the count) costs what
    the inbox count and the drafts count cost together."""
    author = make_user()
    make_work(author, post=False)
    # Fresh objects each time: the member's mutes and rights are cached on the object.
    first, second = User.objects.get(pk=author.pk), User.objects.get(pk=author.pk)
    with CaptureQueriesContext(connection) as inbox_alone:
        unread_count(first)
    with CaptureQueriesContext(connection) as both:
        assert menu_counts(second).drafts == 1
    assert len(both) == len(inbox_alone)


def test_warm_member_pages_keep_their_four_reads(make_user, make_work):
    reader = make_user()
    make_work(reader, post=False)
    cocreator_invite(work=make_work(), inviter=make_user(), pseud=reader.default_pseud)
    work = make_work(chapters=3)
    assert len(reads(logged_in(reader), work.get_absolute_url())) <= 4


def test_the_menu_links_to_the_same_drafts_it_counts(make_user, make_work):
    author = make_user("wren")
    second = author.pseuds.create(name="Wren Two")
    work = make_work(author, post=False, title="Two Pens")
    Creatorship.objects.create(work=work, pseud=second, approved=True, position=1)
    page = logged_in(author).get(reverse("works:drafts")).text
    assert drafts_link(1) in page and page.count("Two Pens</a>") == 1
