"""A tag that no work visible to the reader carries does not exist for them.

Each check asks a page about such a tag, then deletes the tag and asks again with the
same name or id: the two answers must be byte for byte the same (CSRF tokens aside).
Anything else (a name printed, another message, a redirect) tells the reader what a
draft, hidden, unapproved or members-only work is about.
"""

import re

import pytest
from django.urls import reverse

from fanfold.staff.roles import Role
from fanfold.tags.models import Tag, TagType
from fanfold.works.models import Work, WorkTag

pytestmark = pytest.mark.django_db

# How a work can be out of a reader's sight, and who cannot see it.
HIDINGS = {
    "draft": ("guest", "member", "staff"),
    "hidden": ("guest", "member", "staff"),
    "pending": ("guest", "member", "staff"),
    "members-only": ("guest",),
}
# A free-form tag, and tags of the types readers tick as boxes (none canonical: a
# canonical tag is public by decision).
SECRET = {
    "freeform": "Glasswing Secret",
    "rating": "Glasswing Rating",
    "warning": "Glasswing Warning",
    "category": "Glasswing Category",
}


def _tag_urls(tags: dict[str, Tag]) -> dict[str, str]:
    works = reverse("works:index")
    free = tags["freeform"]
    return {
        "tag by name": f"{works}?tag={free.name}",
        "tag by id": f"{works}?tag={free.pk}",
        "exclude by id": f"{works}?exclude={free.pk}",
        "exclude by name": f"{works}?exclude={free.name}",
        "exclude, all facets": f"{works}?exclude={free.pk}&facets=all",
        "rating": f"{works}?rating={tags['rating'].pk}",
        "warning": f"{works}?warning={tags['warning'].pk}",
        "category": f"{works}?category={tags['category'].pk}",
        "search": f"{works}?q=glasswing",
        "within a tag page": f"/tags/Lighthouse Keepers/works?exclude={free.pk}&tag={free.pk}",
        "tag page": f"/tags/{free.url_name}",
        "tag works page": f"/tags/{free.url_name}/works",
        "autocomplete": "/tags/autocomplete?term=glassw",
        "tag search": "/tags/search?q=glassw",
        "tag search by type": "/tags/search?q=glassw&type=rating",
        "autocomplete by type": "/tags/autocomplete?term=glassw&type=rating",
        "old category link": f"/browse.php?type=class&classid={free.pk}",
        "old rating link": f"/browse.php?type=ratings&rid={tags['rating'].pk}",
    }


@pytest.fixture(params=list(HIDINGS))
def secret(request, make_user, make_work):
    author = make_user("author")
    make_work(author, title="Open Harbour", freeforms=["Harbour Lights"])
    work = make_work(
        author,
        title="Glasswing",
        summary="Glasswing wings.",
        post=request.param != "draft",
        restricted=request.param == "members-only",
    )
    tags = {"freeform": Tag.objects.create(name=SECRET["freeform"], type=TagType.FREEFORM)}
    for kind in ("rating", "warning", "category"):
        tags[kind] = Tag.objects.create(name=SECRET[kind], type=kind)
    WorkTag.objects.bulk_create(WorkTag(work=work, tag=t) for t in tags.values())
    if request.param == "hidden":
        Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    if request.param == "pending":
        Work.objects.filter(pk=work.pk).update(approval="pending")
    return request.param, tags


def _viewer(client, who: str, make_user) -> None:
    if who != "guest":
        roles = [Role.MODERATOR, Role.WRANGLER] if who == "staff" else []
        client.force_login(make_user(who, roles=roles))


def _answer(client, url: str) -> tuple[int, str, str]:
    response = client.get(url)
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", body)
    return response.status_code, response.get("Location", ""), body


@pytest.mark.parametrize("who", ["guest", "member", "staff"])
def test_every_filter_parameter_answers_as_for_a_missing_tag(client, secret, make_user, who):
    hiding, tags = secret
    if who not in HIDINGS[hiding]:
        pytest.skip("this reader may see the work")
    _viewer(client, who, make_user)
    urls = _tag_urls(tags)
    client.get(reverse("works:index"))  # the filter index is built before the deletion
    before = {name: _answer(client, url) for name, url in urls.items()}
    Tag.objects.filter(pk__in=[t.pk for t in tags.values()]).delete()
    for name, url in urls.items():
        assert before[name] == _answer(client, url), name
    # Asked by id, no page may print a name (a typed name is echoed back, as for any).
    by_id = [n for n, url in urls.items() if "Glasswing" not in url]
    assert not [n for n in by_id for name in SECRET.values() if name in before[n][2]]


def test_members_do_learn_of_a_members_only_works_tags(client, make_user, make_work):
    """The other side of the rule, so the checks above are not vacuous."""
    work = make_work(title="Glasswing", restricted=True, freeforms=[SECRET["freeform"]])
    free = Tag.objects.named(SECRET["freeform"]).get()
    assert client.get(f"/works?exclude={free.pk}").content.decode().count(free.name) == 0
    client.force_login(make_user())
    assert free.name in client.get(f"/works?exclude={free.pk}").content.decode()
    assert free.name in client.get("/tags/autocomplete?term=glassw").content.decode()
    assert client.get(free.get_works_url()).status_code == 200
    assert work.title in client.get(f"/works?tag={free.name}").content.decode()


def test_a_standing_exclusion_cannot_name_a_tag_the_member_may_not_know(
    client, make_user, make_work
):
    make_work(title="Glasswing", post=False, freeforms=[SECRET["freeform"]])
    client.force_login(make_user())
    url = reverse("filters:exclusions")
    hidden = client.post(url, {"tag": SECRET["freeform"]}).content.decode()
    Tag.objects.named(SECRET["freeform"]).delete()
    missing = client.post(url, {"tag": SECRET["freeform"]}).content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", hidden) == strip.sub("", missing)
    assert "No tag is called" in hidden
