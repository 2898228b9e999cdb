"""The one visibility rule, checked through every output that exists so far."""

import pytest
from django.urls import reverse

from fanfold.works.models import Work
from fanfold.works.selectors import works_listing

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(make_user, make_work):
    author = make_user("author")
    works = {
        "public": make_work(author, title="Open Sea"),
        "members": make_work(author, title="Locked Cove", restricted=True),
        "draft": make_work(author, title="Unfinished Map", post=False),
        "hidden": make_work(author, title="Hidden Reef"),
    }
    Work.objects.filter(pk=works["hidden"].pk).update(hidden_by_admin=True)
    return author, works


LISTING_URLS = [
    lambda a: reverse("archive:home"),
    lambda a: reverse("works:index"),
    lambda a: reverse("works:user_works", args=[a.username]),
    lambda a: reverse("works:pseud_works", args=[a.username, a.username]),
    lambda a: "/tags/Lighthouse Keepers/works",
]


def titles(client, url) -> set[str]:
    html = client.get(url).content.decode()
    return {t for t in ("Open Sea", "Locked Cove", "Unfinished Map", "Hidden Reef") if t in html}


@pytest.mark.parametrize("url", LISTING_URLS)
def test_guests_see_only_public_works_in_every_listing(client, shelf, url):
    author, _ = shelf
    assert titles(client, url(author)) == {"Open Sea"}


@pytest.mark.parametrize("url", LISTING_URLS)
def test_members_also_see_members_only_works(client, shelf, make_user, url):
    author, _ = shelf
    client.force_login(make_user())
    assert titles(client, url(author)) == {"Open Sea", "Locked Cove"}


@pytest.mark.parametrize("url", LISTING_URLS)
def test_drafts_never_appear_in_shared_listings_even_for_their_author(client, shelf, url):
    author, _ = shelf
    client.force_login(author)
    assert "Unfinished Map" not in titles(client, url(author))


def test_listing_counts_agree_with_visibility(shelf, make_user):
    assert works_listing(viewer=None, page=1).page.paginator.count == 1
    assert works_listing(viewer=make_user(), page=1).page.paginator.count == 2


def test_work_pages(client, shelf, make_user, admin_user):
    author, works = shelf
    public, members, draft, hidden = (works[k] for k in ("public", "members", "draft", "hidden"))
    assert client.get(public.get_absolute_url()).status_code == 200
    response = client.get(members.get_absolute_url())
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("works:navigate", args=[draft.pk])).status_code == 404

    client.force_login(make_user())
    assert client.get(members.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404

    client.force_login(author)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200 and "only its creators can see it" in response.text


def test_chapter_of_another_work_is_not_found(client, make_work):
    first, second = make_work(), make_work()
    foreign = second.chapters.get()
    assert client.get(reverse("works:chapter", args=[first.pk, foreign.pk])).status_code == 404


def test_draft_chapters_are_hidden_from_readers(client, make_work):
    from fanfold.works.chapter_services import chapter_add
    from fanfold.works.fields import ChapterFields

    work = make_work()
    author = work.creators[0].user
    draft = chapter_add(
        work=work,
        editor=author,
        post=False,
        data=ChapterFields(body="<p>Secret ending</p>", title="Later"),
    )
    assert client.get(reverse("works:chapter", args=[work.pk, draft.pk])).status_code == 404
    full = client.get(work.get_absolute_url() + "?view_full_work=true").text
    assert "Secret ending" not in full
    client.force_login(author)
    assert "Secret ending" in client.get(reverse("works:chapter", args=[work.pk, draft.pk])).text


def test_hiding_takes_effect_at_once_even_for_cached_pages(client, make_work, moderator):
    from fanfold.works.staff_services import work_set_hidden

    work = make_work(title="Soon Hidden")
    assert client.get(work.get_absolute_url()).status_code == 200  # now cached
    work_set_hidden(work=work, hidden=True, actor=moderator, reason="Under review.")
    assert client.get(work.get_absolute_url()).status_code == 404
    assert "Soon Hidden" not in client.get(reverse("archive:home")).text
    client.force_login(work.creators[0].user)
    page = client.get(work.get_absolute_url()).text
    assert "hidden from the archive" in page and "Under review." in page
