"""The filter sidebar on real listing pages: links, counts, and the reader's own rules."""

import re

import pytest
from django.urls import reverse

from fanfold.blocking.services import user_mute
from fanfold.conftest import tag
from fanfold.filters.models import SavedFilter, StandingExclusion

pytestmark = pytest.mark.django_db


def count_of(html: str) -> int:
    match = re.search(r"of (\d+) works?", html)
    return int(match.group(1)) if match else 0


def facet_count(html: str, name: str, param: str = "tag") -> int | None:
    match = re.search(
        rf'name="{param}" value="\d+"[^>]*> <span class="facet-name">{re.escape(name)}</span> '
        r'<span class="facet-count">\((\d+)\)',
        html,
    )
    return int(match.group(1)) if match else None


@pytest.fixture
def shelf(make_user, make_work):
    a, b = make_user("ann"), make_user("bea")
    make_work(a, title="Harbour One", freeforms=["Fluff"], characters=["Ada Vell"])
    make_work(a, title="Harbour Two", freeforms=["Fluff", "Angst"], characters=["Ada Vell"])
    make_work(b, title="Orchard", fandoms=("Winter Orchards",), freeforms=["Angst"])
    make_work(b, title="Secret Draft", freeforms=["Fluff"], post=False)
    make_work(b, title="Members Room", freeforms=["Fluff"], restricted=True)
    return a, b


def test_sidebar_counts_agree_with_results(client, shelf):
    html = client.get(reverse("works:index")).content.decode()
    assert count_of(html) == 3  # no draft, no members-only work for a guest
    assert facet_count(html, "Fluff") == 2 and facet_count(html, "Angst") == 2
    fluff = tag("Fluff").pk
    narrowed = client.get(reverse("works:index"), {"tag": fluff}).content.decode()
    assert count_of(narrowed) == 2 and "Orchard" not in narrowed
    both = client.get(reverse("works:index"), {"tag": fluff, "exclude": "Angst"}).content.decode()
    assert count_of(both) == 1 and "Harbour One" in both and "Harbour Two" not in both
    # The excluded tag stays in the sidebar, ticked, so it can be unticked.
    assert re.search(r'name="exclude" value="\d+" checked> <span class="facet-name">Angst', both)


def test_typed_tag_names_and_bad_input(client, shelf):
    html = client.get(reverse("works:index"), {"tag": "fluff, Ada Vell"}).content.decode()
    assert count_of(html) == 2
    html = client.get(
        reverse("works:index"), {"tag": "No Such Tag", "words_min": "lots"}
    ).content.decode()
    assert "No tag is called" in html and "No works match" in html
    assert client.get(reverse("works:index"), {"page": "999999"}).status_code == 200


def test_tag_page_keeps_its_tag_and_filters_further(client, shelf):
    url = tag("Fluff").get_works_url()
    html = client.get(url).content.decode()
    assert count_of(html) == 2
    html = client.get(url, {"exclude": "Angst"}).content.decode()
    assert count_of(html) == 1 and "Harbour One" in html


def test_user_page_is_scoped_to_the_creator(client, shelf):
    html = client.get(reverse("works:user_works", args=["bea"])).content.decode()
    assert count_of(html) == 1 and "Orchard" in html and "Harbour" not in html
    assert facet_count(html, "Fluff") is None  # counts only over bea's visible works


def test_muted_and_always_excluded_leave_results_and_counts(client, make_user, shelf):
    reader = make_user("reader")
    client.force_login(reader)
    html = client.get(reverse("works:index")).content.decode()
    assert count_of(html) == 4  # members see the members-only work
    user_mute(muter=reader, muted=shelf[1])
    html = client.get(reverse("works:index")).content.decode()
    assert count_of(html) == 2 and facet_count(html, "Angst") == 1
    client.post(reverse("filters:exclusions"), {"tag": "angst"})
    assert StandingExclusion.objects.filter(user=reader).count() == 1
    html = client.get(reverse("works:index")).content.decode()
    assert count_of(html) == 1 and "Harbour One" in html and "always-excluded" in html
    once = client.get(reverse("works:index"), {"standing": "off"}).content.decode()
    assert count_of(once) == 2


def test_saved_filters(client, make_user, shelf):
    reader = make_user("reader")
    client.force_login(reader)
    query = f"tag={tag('Fluff').pk}&sort=title"
    response = client.post(
        reverse("filters:save"), {"name": "Soft things", "path": "/works", "query": query}
    )
    assert response.status_code == 302 and response["Location"] == f"/works?{query}"
    html = client.get(reverse("works:index")).content.decode()
    assert "Soft things" in html
    bad = client.post(
        reverse("filters:save"), {"name": "Evil", "path": "//evil.example", "query": ""}
    )
    assert bad.status_code == 302 and "evil" not in bad["Location"]
    assert list(SavedFilter.objects.values_list("name", flat=True)) == ["Soft things"]
    saved = SavedFilter.objects.get()
    client.post(reverse("filters:saved"), {"delete": saved.pk})
    assert not SavedFilter.objects.exists()


def test_new_work_shows_in_filters_at_once(client, make_user, make_work, shelf):
    url = tag("Fluff").get_works_url()
    assert count_of(client.get(url).content.decode()) == 2
    make_work(make_user(), title="Fresh Fluff", freeforms=["Fluff"])
    html = client.get(url).content.decode()
    assert count_of(html) == 3 and "Fresh Fluff" in html


def test_search_box_and_chapter_text_option(client, make_user, make_work):
    make_work(make_user(), title="Lantern Song", body="<p>The gulls argued overhead.</p>")
    make_work(make_user(), title="Gulls at Dawn")
    html = client.get(reverse("works:index"), {"q": "gulls"}).content.decode()
    assert count_of(html) == 1 and "Gulls at Dawn" in html
    html = client.get(reverse("works:index"), {"q": "gulls", "q_body": "1"}).content.decode()
    assert count_of(html) == 2 and 'name="q_body" value="1" checked' in html
    html = client.get(reverse("works:index"), {"q": "gulls -dawn", "q_body": "1"}).content.decode()
    assert count_of(html) == 1 and "Lantern Song" in html


def test_active_filters_are_chips_that_each_remove_one(client, make_user, make_work):
    make_work(make_user(), title="Lamp Light", freeforms=["Fluff"], expected_chapters=1)
    make_work(make_user(), title="Storm Night", freeforms=["Fluff"])
    fluff = tag("Fluff").pk
    html = client.get(reverse("works:index"), {"tag": fluff, "complete": "yes"}).text
    chips = dict(
        (label, link.replace("&amp;", "&"))
        for link, label in re.findall(
            r'<a class="chip" href="([^"]*)"><span class="visually-hidden">Remove filter </span>'
            r"([^<]*) <",
            html,
        )
    )
    assert chips == {"Including: Fluff": "?complete=yes", "Complete only": f"?tag={fluff}"}
    assert count_of(client.get(reverse("works:index") + chips["Complete only"]).text) == 2
    assert "filter-chips" not in client.get(reverse("works:index")).text
