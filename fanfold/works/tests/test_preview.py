"""The preview: the whole work as readers will see it, for its creators only, never
cached and never indexed."""

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.works.chapter_services import chapter_add
from fanfold.works.fields import ChapterFields
from fanfold.works.services import cocreator_invite

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(make_user, make_work):
    author = make_user("wren")
    work = make_work(
        author,
        title="Salt and Signal",
        post=False,
        summary="A keeper counts the ships.",
        notes="Written for the harbour prompt.",
        endnotes="Thank you for reading to the end.",
        characters=["Ada Vell"],
        freeforms=["Storms"],
    )
    chapter_add(
        work=work,
        editor=author,
        data=ChapterFields(
            body="<p>The second night was calmer.</p>",
            title="Calm",
            endnotes="Chapter two's own end note.",
        ),
        post=False,
    )
    return work


def preview(client: Client, work):
    return client.get(reverse("works:preview", args=[work.pk]))


def test_creators_see_the_whole_work_as_it_will_appear(client, draft):
    client.force_login(draft.creators[0].user)
    response = preview(client, draft)
    assert response.status_code == 200
    page = response.text
    for text in (
        "Salt and Signal",
        "Lighthouse Keepers",  # fandom
        "Ada Vell",  # character
        "Storms",  # additional tag
        "A keeper counts the ships.",
        "Written for the harbour prompt.",
        "The tide came in slowly.",  # chapter 1
        "The second night was calmer.",  # chapter 2, a draft
        "Chapter two's own end note.",
        "Thank you for reading to the end.",
    ):
        assert text in page, text
    # The reading page's own structure, not a look-alike.
    assert 'id="workskin"' in page and 'class="work meta group"' in page
    assert 'id="chapter-2"' in page and 'id="work_endnotes"' in page
    # What readers will not see stays out: draft banners, unanswered invitations.
    assert "This chapter is a draft" not in page


def test_unanswered_invitations_are_not_in_the_preview(client, draft, make_user):
    author = draft.creators[0].user
    cocreator_invite(work=draft, inviter=author, pseud=make_user("fern").default_pseud)
    client.force_login(author)
    page = preview(client, draft).text
    assert "fern" not in page and "(pending)" not in page


def test_the_preview_is_never_cached_nor_indexed(client, draft):
    client.force_login(draft.creators[0].user)
    response = preview(client, draft)
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in response.text


def test_only_creators_preview(client, draft, make_user):
    response = preview(client, draft)
    assert response.status_code == 302 and "/login" in response["Location"]
    client.force_login(make_user("stranger"))
    response = preview(client, draft)
    assert response.status_code == 403 and "Salt and Signal" not in response.text
    assert preview(client, draft.__class__(pk=99_999)).status_code == 404


def test_the_work_page_links_to_the_preview(client, draft):
    client.force_login(draft.creators[0].user)
    page = client.get(draft.get_absolute_url()).text
    assert reverse("works:preview", args=[draft.pk]) in page
