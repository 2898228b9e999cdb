"""The staff wrangling pages and the tag page's family lists, as a browser sees them."""

import pytest

from fanfold.conftest import tag
from fanfold.tags.models import Tag, TagType
from fanfold.tags.services import tag_merge, tag_set_parents

pytestmark = pytest.mark.django_db


def canon(name: str, tag_type: str = TagType.FANDOM) -> Tag:
    return Tag.objects.create(name=name, type=tag_type, canonical=True)


def edit_url(t: Tag) -> str:
    return f"/tags/{t.url_name}/edit"


def test_outsiders_get_login_or_403_on_every_page_and_post(client, make_user, make_work):
    make_work(fandoms=["Buffy"])
    buffy, target = tag("Buffy"), canon("BtVS")
    requests = [
        ("get", "/tags/wrangle", {}),
        ("post", "/tags/wrangle", {"tag": buffy.pk, "action": "canonical"}),
        ("post", "/tags/wrangle", {"tag": buffy.pk, "action": "merge", "into": "BtVS"}),
        ("get", edit_url(buffy), {}),
        ("post", edit_url(buffy), {"action": "canonical", "canonical": "1"}),
        ("post", edit_url(buffy), {"action": "merge", "merge-into": "BtVS"}),
        ("post", edit_url(buffy), {"action": "rename", "rename-name": "Hacked"}),
        ("post", edit_url(buffy), {"action": "parents", "parents-names": "BtVS"}),
        ("post", edit_url(target), {"action": "unmerge"}),
        ("post", edit_url(buffy), {"action": "type", "type-type": "character"}),
    ]
    for method, url, data in requests:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and "/login" in response["Location"], url
    client.force_login(make_user())
    for method, url, data in requests:
        assert getattr(client, method)(url, data).status_code == 403, url
    buffy.refresh_from_db()
    assert buffy.name == "Buffy" and not buffy.canonical and buffy.merger is None
    assert not buffy.parents.exists()
    assert "Wrangle" not in client.get(buffy.get_absolute_url()).text


def test_queue_lists_unwrangled_tags_by_fandom_and_type(client, staff, make_work):
    make_work(fandoms=["Buffy"], characters=["Willow"], freeforms=["Fluff"])
    make_work(fandoms=["Buffy"], freeforms=["Fluff"])
    make_work(fandoms=["Angel"], characters=["Cordelia"])
    make_work(fandoms=["BtVS"], characters=["Dawn"])
    buffy = canon("Buffy the Vampire Slayer")
    Tag.objects.filter(name="Buffy").update(canonical=True)
    tag_merge(user=staff, tag=tag("BtVS"), into=buffy)
    client.force_login(staff)

    page = client.get("/tags/wrangle").text
    for name in ("Willow", "Fluff", "Cordelia", "Dawn", "Angel"):
        assert name in page
    assert "General Audiences" not in page

    rows = client.get("/tags/wrangle", {"fandom": "Buffy"}).context["page"].object_list
    assert {(t.name, t.uses) for t in rows} == {("Willow", 1), ("Fluff", 2)}
    rows = client.get("/tags/wrangle", {"fandom": "buffy the vampire slayer"}).context["page"]
    assert [t.name for t in rows] == ["Dawn"]  # through its synonym BtVS
    rows = client.get("/tags/wrangle", {"type": "character"}).context["page"]
    assert {t.name for t in rows} == {"Willow", "Cordelia", "Dawn"}
    missing = client.get("/tags/wrangle", {"fandom": "Nowhere"})
    assert "There is no fandom by that name." in missing.text


def test_queue_quick_actions(client, staff, make_work):
    make_work(fandoms=["Buffy", "BtVS", "Angel"])
    client.force_login(staff)
    url = "/tags/wrangle?type=fandom"
    response = client.post(url, {"tag": tag("Buffy").pk, "action": "canonical"})
    assert response.status_code == 302 and response["Location"] == f"{url}#wrangle-queue"
    assert tag("Buffy").canonical
    client.post(url, {"tag": tag("BtVS").pk, "action": "merge", "into": "buffy"})
    assert tag("BtVS").merger == tag("Buffy")
    # A bad name re-renders the queue with the message and what was typed.
    response = client.post(url, {"tag": tag("Angel").pk, "action": "merge", "into": "Angle"})
    assert response.status_code == 200
    assert "There is no tag named “Angle”." in response.text
    assert 'value="Angle"' in response.text
    assert tag("Angel").merger is None
    assert [t.name for t in client.get(url).context["page"]] == ["Angel"]


def test_edit_page_actions(client, staff, make_work):
    make_work(fandoms=["Bufy"], characters=["Willow"])
    verse = canon("Buffyverse")
    client.force_login(staff)
    page = client.get(edit_url(tag("Bufy")))
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.text

    response = client.post(edit_url(tag("Bufy")), {"action": "rename", "rename-name": "Buffy"})
    assert response["Location"] == "/tags/Buffy/edit"
    client.post("/tags/Buffy/edit", {"action": "canonical", "canonical": "1"})
    assert tag("Buffy").canonical
    client.post("/tags/Buffy/edit", {"action": "parents", "parents-names": "buffyverse"})
    assert list(tag("Buffy").parents.all()) == [verse]
    client.post(edit_url(tag("Willow")), {"action": "parents", "parents-names": "Buffy"})
    page = client.get("/tags/Buffy/edit").text
    assert "Buffyverse" in page and "Willow" in page
    client.post("/tags/Buffy/edit", {"action": "remove_parent", "parent": verse.pk})
    assert not tag("Buffy").parents.exists()

    make_work(fandoms=["BtVS"])
    client.post(edit_url(tag("BtVS")), {"action": "merge", "merge-into": "Buffy"})
    assert tag("BtVS").merger == tag("Buffy")
    client.post(edit_url(tag("BtVS")), {"action": "unmerge"})
    assert tag("BtVS").merger is None
    client.post(edit_url(tag("BtVS")), {"action": "type", "type-type": "freeform"})
    assert tag("BtVS").type == TagType.FREEFORM


def test_edit_page_keeps_typed_input_on_errors(client, staff, make_work):
    make_work(fandoms=["Buffy", "Angel"], characters=["Willow"])
    client.force_login(staff)
    url = edit_url(tag("Buffy"))
    response = client.post(url, {"action": "rename", "rename-name": "ANGEL"})
    assert response.status_code == 200
    assert "There is already a tag named “Angel”." in response.text
    assert 'value="ANGEL"' in response.text
    response = client.post(url, {"action": "merge", "merge-into": "Willow"})
    assert "only tags of one type" in response.text and 'value="Willow"' in response.text
    response = client.post(url, {"action": "parents", "parents-names": "Nope, Angel"})
    assert "There is no tag named “Nope”." in response.text
    assert 'value="Nope, Angel"' in response.text
    response = client.post(url, {"action": "rename", "rename-name": ""})
    assert response.status_code == 200 and "required" in response.text
    assert tag("Buffy").name == "Buffy" and not tag("Buffy").parents.exists()


def test_staff_can_wrangle_tags_only_drafts_use(client, staff, make_work):
    make_work(freeforms=["Draft Secret"], post=False)
    client.force_login(staff)
    assert client.get(edit_url(tag("Draft Secret"))).status_code == 200


def test_tag_page_lists_family_and_links_staff_to_wrangling(client, staff, make_work):
    make_work(fandoms=["Buffy (TV)", "BtVS"], characters=["Willow"])
    make_work(characters=["Secret Character"], restricted=True)
    verse, buffy = canon("Buffyverse"), canon("Buffy")
    tag_set_parents(user=staff, tag=tag("Buffy (TV)"), add=[buffy])
    Tag.objects.filter(name="Buffy (TV)").update(canonical=True)
    tag_set_parents(user=staff, tag=buffy, add=[verse])
    tag_merge(user=staff, tag=tag("BtVS"), into=buffy)
    tag_set_parents(user=staff, tag=tag("Willow"), add=[buffy])
    tag_set_parents(user=staff, tag=tag("Secret Character"), add=[buffy])

    page = client.get(buffy.get_absolute_url())
    family = page.context["family"]
    assert [t.name for t in family.synonyms] == ["BtVS"]
    assert [t.name for t in family.parents] == ["Buffyverse"]
    # The members-only work's tag stays hidden from guests.
    assert sorted(t.name for t in family.children) == ["Buffy (TV)", "Willow"]
    for t in (verse, tag("BtVS"), tag("Willow"), tag("Buffy (TV)")):
        assert f'href="{t.get_absolute_url()}"' in page.text
    assert "Secret Character" not in page.text and "Wrangle" not in page.text

    synonym_page = client.get(tag("BtVS").get_absolute_url()).text
    assert f'synonym of <a class="tag" href="{buffy.get_absolute_url()}">' in synonym_page

    client.force_login(staff)
    page = client.get(buffy.get_absolute_url()).text
    assert f'href="{edit_url(buffy)}"' in page and "Secret Character" in page


def test_wrangling_posts_need_the_csrf_token(staff, make_work):
    from django.test import Client

    make_work(fandoms=["Buffy"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    buffy = tag("Buffy")
    assert client.post("/tags/wrangle", {"tag": buffy.pk, "action": "canonical"}).status_code == 403
    response = client.post(edit_url(buffy), {"action": "rename", "rename-name": "Hacked"})
    assert response.status_code == 403
    assert tag("Buffy").name == "Buffy" and not tag("Buffy").canonical


def test_admin_edits_presentation_only(client, make_user):
    from fanfold.conftest import tag

    admin = make_user("root", is_superuser=True)
    client.force_login(admin)
    explicit = tag("Explicit")
    url = f"/admin/tags/tag/{explicit.pk}/change/"
    page = client.get(url).content.decode()
    assert "edit on the wrangling page" in page
    client.post(
        url,
        {
            "name": "Renamed",
            "adult": "on",
            "warning_text": "New words",
            "sort_order": 4,
            "symbol": "E",
        },
    )
    explicit.refresh_from_db()
    assert explicit.name == "Explicit" and explicit.warning_text == "New words"


def test_every_tag_field_offers_suggestions(client, staff, make_work):
    # autocomplete.js (loaded by the layout) turns each data-autocomplete field into a
    # combobox; without the attribute a field gets no suggestions.
    work = make_work(fandoms=["Buffy"])
    client.force_login(staff)
    pages = {
        "/tags/wrangle": 'name="into"',
        edit_url(tag("Buffy")): 'name="merge-into"',
        f"{edit_url(tag('Buffy'))}#parents": 'name="parents-names"',
        f"/works/{work.pk}/bookmarks/new": 'name="tags"',
        "/works": 'name="tag" data-autocomplete',
    }
    for url, field in pages.items():
        html = client.get(url).text
        start = html.index(field)
        tag_html = html[html.rindex("<input", 0, start) : html.index(">", start)]
        assert "data-autocomplete" in tag_html, url
        assert "fanfold/autocomplete" in html, url
