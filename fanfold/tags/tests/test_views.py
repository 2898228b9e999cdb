import pytest
from bs4 import BeautifulSoup

from fanfold.tags.models import Tag, TagType
from fanfold.tags.services import tag_set_description

pytestmark = pytest.mark.django_db


def test_tag_names_with_slashes_round_trip_through_urls(client, make_work):
    make_work(relationships=["Ada Vell/Tam Orr"], title="Two Keepers")
    tag = Tag.objects.named("ada vell/tam orr").get()
    assert tag.get_works_url() == "/tags/Ada%20Vell*s*Tam%20Orr/works"
    assert "Two Keepers" in client.get(tag.get_works_url()).text
    assert client.get(tag.get_absolute_url()).status_code == 200


def test_unknown_tag_is_not_found(client, db):
    assert client.get("/tags/Nothing Here/works").status_code == 404


def test_synonym_redirects_to_its_canonical_tag(client, make_work):
    make_work(fandoms=["Lighthouse Keepers"], title="Canon Work")
    canonical = Tag.objects.named("Lighthouse Keepers").get()
    canonical.canonical = True
    canonical.save()
    make_work(fandoms=["LK"], title="Short Name Work")
    synonym = Tag.objects.named("LK").get()
    synonym.merger = canonical
    synonym.save()
    response = client.get(synonym.get_works_url())
    assert response.status_code == 302 and response["Location"] == canonical.get_works_url()


def test_synonym_no_visible_work_carries_does_not_exist(client, make_work):
    """Only canonical tags are public: a synonym wranglers made from a tag that only
    drafts use would give the drafts away."""
    make_work(fandoms=["Lighthouse Keepers"], title="Canon Work")
    canonical = Tag.objects.named("Lighthouse Keepers").get()
    synonym = Tag.objects.create(name="LK", type=TagType.FANDOM, merger=canonical)
    assert client.get(synonym.get_works_url()).status_code == 404


def test_parent_tag_lists_works_of_its_subtags(client, make_work):
    make_work(fandoms=["Lighthouse Keepers (Comics)"], title="Comic Work")
    parent = Tag.objects.create(
        name="Lighthouse Keepers All Media", type=TagType.FANDOM, canonical=True
    )
    Tag.objects.named("Lighthouse Keepers (Comics)").get().parents.add(parent)
    assert "Comic Work" in client.get(parent.get_works_url()).text
    detail = client.get(parent.get_absolute_url()).text
    assert "Lighthouse Keepers (Comics)" in detail


def test_fixed_tags_are_seeded(db):
    assert Tag.objects.of_type(TagType.RATING).count() == 5
    assert Tag.objects.of_type(TagType.WARNING).count() == 6
    assert set(Tag.objects.of_type(TagType.CATEGORY).values_list("name", flat=True)) == {
        "F/F",
        "F/M",
        "Gen",
        "M/M",
        "Multi",
        "Other",
    }
    assert Tag.objects.named("Explicit").get().adult
    assert not Tag.objects.named("Teen And Up Audiences").get().adult


def test_tags_of_drafts_and_members_only_works_stay_secret(client, make_work, make_user):
    make_work(freeforms=["Twist Ending Reveal"], post=False)
    make_work(freeforms=["Members Secret"], restricted=True)
    for name in ("Twist Ending Reveal", "Members Secret"):
        tag = Tag.objects.named(name).get()
        assert client.get(tag.get_absolute_url()).status_code == 404
    found = client.get("/tags/autocomplete", {"term": "twist"}).json()["tags"]
    assert found == []
    client.force_login(make_user())
    assert (
        client.get(Tag.objects.named("Members Secret").get().get_absolute_url()).status_code == 200
    )
    assert client.get("/tags/autocomplete", {"term": "twist"}).json()["tags"] == []
    make_work(freeforms=["Twist Ending Reveal"])  # now a posted work uses it
    assert [
        t["name"] for t in client.get("/tags/autocomplete", {"term": "twist"}).json()["tags"]
    ] == ["Twist Ending Reveal"]


def test_a_canonical_tags_page_names_no_synonym_or_subtag_only_drafts_carry(client, make_work):
    make_work(fandoms=["Lighthouse Keepers"], title="Canon Work")
    canonical = Tag.objects.named("Lighthouse Keepers").get()
    canonical.canonical = True
    canonical.save()
    make_work(fandoms=["Glasswing Synonym", "Glasswing Subtag"], title="Draft", post=False)
    Tag.objects.filter(key="glasswing synonym").update(merger=canonical)
    Tag.objects.named("Glasswing Subtag").get().parents.add(canonical)
    detail = client.get(canonical.get_absolute_url())
    works = client.get(canonical.get_works_url()).content.decode()
    assert detail.status_code == 200 and "Canon Work" in works
    assert "Glasswing" not in detail.content.decode() and "Glasswing" not in works


def test_a_tags_description_shows_on_its_page_sanitised(client, make_work):
    make_work(fandoms=["Lighthouse Keepers"], title="Described")
    tag = Tag.objects.named("Lighthouse Keepers").get()
    tag_set_description(
        tag=tag, description='<p>Keepers of <b>lights</b>.</p><script>alert("x")</script>'
    )
    page = BeautifulSoup(client.get(tag.get_absolute_url()).text, "html.parser")
    shown = page.select_one("blockquote.tag-description")
    assert shown.decode_contents() == "<p>Keepers of <b>lights</b>.</p>"
    assert "alert" not in str(page)


def test_staff_edit_a_description_in_the_admin(client, make_user, make_work):
    make_work(fandoms=["Lighthouse Keepers"], title="Described")
    tag = Tag.objects.named("Lighthouse Keepers").get()
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    form = {"adult": "", "warning_text": "", "sort_order": "100", "symbol": ""}
    response = client.post(
        f"/admin/tags/tag/{tag.pk}/change/",
        {**form, "description": "<p onclick='x()'>About the keepers.</p>"},
    )
    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.description_html == "<p>About the keepers.</p>"
