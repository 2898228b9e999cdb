"""Wrangling many tags at once: one POST, one transaction, the single actions' rules and
audit records, and back to the same filtered list."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied, ValidationError

from fanfold.audit.models import AuditEntry
from fanfold.conftest import tag
from fanfold.staff.roles import Role
from fanfold.staff.services import wrangler_assign
from fanfold.tags.bulk import tags_bulk_wrangle
from fanfold.tags.models import Tag, TagType

pytestmark = pytest.mark.django_db

BULK = "/tags/wrangle/bulk"


def canon(name: str, tag_type: str = TagType.FANDOM) -> Tag:
    return Tag.objects.create(name=name, type=tag_type, canonical=True)


@pytest.fixture
def loose(make_work):
    """Three unwrangled character tags on a work."""
    make_work(fandoms=["Harbour Tales"], characters=["Ada", "Ada V.", "Vell"])
    return [tag("Ada"), tag("Ada V."), tag("Vell")]


def test_make_canonical_together_with_an_audit_record_each(staff, loose):
    text = tags_bulk_wrangle(user=staff, tag_ids=[t.pk for t in loose], action="canonical")
    assert text == "3 tags are canonical."
    assert Tag.objects.filter(pk__in=[t.pk for t in loose], canonical=True).count() == 3
    assert AuditEntry.objects.filter(action="tag.canonical").count() == 3


def test_merge_into_a_canonical_tag(staff, loose):
    ada = canon("Ada Vell", TagType.CHARACTER)
    ids = [t.pk for t in loose[:2]] + [ada.pk]  # the target among the checked stays
    tags_bulk_wrangle(user=staff, tag_ids=ids, action="merge", into=ada)
    assert set(Tag.objects.filter(merger=ada)) == set(loose[:2])
    assert AuditEntry.objects.filter(action="tag.merge").count() == 2
    ada.refresh_from_db()
    assert ada.canonical and ada.merger is None


def test_add_a_parent_to_each(staff, loose):
    fandom = canon("Harbour Tales Universe")
    tags_bulk_wrangle(user=staff, tag_ids=[t.pk for t in loose], action="parents", parents=[fandom])
    for t in loose:
        assert list(t.parents.all()) == [fandom]
    assert AuditEntry.objects.filter(action="tag.parents").count() == 3


def test_one_refusal_changes_nothing_and_names_the_tag(staff, loose):
    into = canon("Ada Vell", TagType.CHARACTER)
    odd = canon("A Fandom Tag")  # of another type: a merge refuses it
    with pytest.raises(ValidationError) as caught:
        tags_bulk_wrangle(
            user=staff, tag_ids=[t.pk for t in loose] + [odd.pk], action="merge", into=into
        )
    assert "A Fandom Tag" in " ".join(caught.value.messages)
    assert not Tag.objects.filter(merger=into).exists()
    assert not AuditEntry.objects.filter(action="tag.merge").exists()


@pytest.mark.parametrize(
    ("ids", "action", "words"),
    [([], "canonical", "at least one"), ([1], "explode", "Unknown"), ([1], "merge", "Name")],
)
def test_bad_requests_are_messages(staff, ids, action, words):
    with pytest.raises(ValidationError) as caught:
        tags_bulk_wrangle(user=staff, tag_ids=ids, action=action)
    assert words in " ".join(caught.value.messages)


def test_members_and_other_wranglers_fandoms_are_refused(make_user, make_work, staff):
    make_work(fandoms=["Held Fandom"], characters=["Kept"])
    held = tag("Held Fandom")
    held.canonical = True
    held.save()
    tag("Kept").parents.add(held)  # a character of a fandom another wrangler holds
    other = make_user("other", roles=[Role.WRANGLER])
    wrangler_assign(actor=None, wrangler=other, fandom=held)
    with pytest.raises(PermissionDenied):
        tags_bulk_wrangle(user=make_user(), tag_ids=[tag("Kept").pk], action="canonical")
    with pytest.raises(PermissionDenied):
        tags_bulk_wrangle(user=staff, tag_ids=[tag("Kept").pk], action="canonical")
    assert not tag("Kept").canonical


def test_the_page_posts_the_checked_tags_and_comes_back_to_the_list(client, staff, loose):
    client.force_login(staff)
    url = "/tags/wrangle?type=character"
    page = BeautifulSoup(client.get(url).text, "html.parser")
    form = page.find("form", id="bulk-wrangle")
    boxes = page.find_all("input", attrs={"name": "tags", "form": "bulk-wrangle"})
    assert len(boxes) == 3
    data = {
        "csrfmiddlewaretoken": form.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"],
        "next": form.find("input", attrs={"name": "next"})["value"],
        "action": "canonical",
        "tags": [box["value"] for box in boxes[:2]],
    }
    response = client.post(form["action"], data)
    assert response.status_code == 302
    assert response["Location"] == f"{url}#wrangle-queue"
    landed = BeautifulSoup(client.get(url).text, "html.parser")
    assert "2 tags are canonical." in landed.find(id="wrangle-queue").get_text()
    assert len(landed.find_all("input", attrs={"name": "tags"})) == 1


def test_a_refusal_comes_back_as_a_message_at_the_list(client, staff, loose):
    client.force_login(staff)
    data = {"action": "merge", "into": "Nobody", "tags": [loose[0].pk], "next": "/tags/wrangle"}
    response = client.post(BULK, data)
    assert response["Location"] == "/tags/wrangle#wrangle-queue"
    landed = BeautifulSoup(client.get("/tags/wrangle").text, "html.parser")
    assert "There is no tag named “Nobody”." in landed.find(id="wrangle-queue").get_text()
    assert not Tag.objects.filter(merger__isnull=False).exists()


def test_a_refusal_keeps_the_ticks_and_what_was_typed_once(client, staff, loose):
    client.force_login(staff)
    ticked = [loose[0].pk, loose[2].pk]
    data = {"action": "parents", "parents": "Nobody, Else", "tags": ticked, "next": "/tags/wrangle"}
    client.post(BULK, data)
    page = BeautifulSoup(client.get("/tags/wrangle").text, "html.parser")
    checked = {
        int(box["value"])
        for box in page.find_all("input", attrs={"name": "tags"})
        if box.has_attr("checked")
    }
    assert checked == set(ticked)
    assert page.find("input", attrs={"name": "action", "value": "parents"}).has_attr("checked")
    assert page.find(id="bulk-parents")["value"] == "Nobody, Else"
    # Only the page the refusal lands on: the next visit starts clean.
    again = BeautifulSoup(client.get("/tags/wrangle").text, "html.parser")
    assert not any(
        box.has_attr("checked") for box in again.find_all("input", attrs={"name": "tags"})
    )
    assert again.find("input", attrs={"name": "action", "value": "canonical"}).has_attr("checked")


def test_an_outside_next_is_not_followed(client, staff, loose):
    client.force_login(staff)
    data = {"action": "canonical", "tags": [loose[0].pk], "next": "//evil.example/"}
    assert client.post(BULK, data)["Location"] == "/tags/wrangle#wrangle-queue"


def test_a_get_is_refused(client, staff):
    client.force_login(staff)
    assert client.get(BULK).status_code == 405


def test_status_filter(client, staff, loose):
    ada = canon("Ada Vell", TagType.CHARACTER)
    tags_bulk_wrangle(user=staff, tag_ids=[loose[0].pk], action="merge", into=ada)
    client.force_login(staff)

    def names(status: str) -> set[str]:
        rows = client.get("/tags/wrangle", {"status": status, "type": "character"})
        return {t.name for t in rows.context["page"].object_list}

    assert names("unwrangled") == {"Ada V.", "Vell"}
    assert names("canonical") == {"Ada Vell"}
    assert names("synonyms") == {"Ada"}
    synonyms = client.get("/tags/wrangle", {"status": "synonyms"}).text
    assert "Ada Vell" in synonyms  # what each synonym stands for
    assert client.get("/tags/wrangle", {"status": "bogus"}).status_code == 200
