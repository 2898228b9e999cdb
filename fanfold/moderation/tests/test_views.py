import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fanfold.works.models import Approval, Work

pytestmark = pytest.mark.django_db

QUEUE = "/moderation/works"


def decide(work, decision: str) -> str:
    return reverse("moderation:decide", args=[work.pk, decision])


@pytest.fixture
def waiting(needs_approval, make_user, make_work):
    """Two works in the queue: a new post and an older imported one."""
    author = make_user("author", email="author@example.org")
    new = make_work(author, title="Fresh Tide", summary="Waves on the pier.", chapters=2)
    old = make_work(make_user("elder"), title="Old Lantern", rating="Mature")
    past = timezone.now() - dt.timedelta(days=800)
    old.chapters.update(published_at=past)
    Work.objects.filter(pk=old.pk).update(published_at=past, updated_at=past)
    return new, old


def test_queue_lists_waiting_works_oldest_first_with_what_staff_need(client, waiting, staff):
    new, _ = waiting
    client.force_login(staff)
    page = client.get(QUEUE).text
    assert page.index("Old Lantern") < page.index("Fresh Tide")
    for shown in ("author", "elder", "Mature", "Lighthouse Keepers", "Waves on the pier."):
        assert shown in page
    assert new.get_absolute_url() in page and "2 works waiting" in page
    assert page.count('name="csrfmiddlewaretoken"') >= 2
    assert decide(new, "approve") in page and decide(new, "reject") in page


def test_outsiders_cannot_see_or_use_the_queue(client, waiting, make_user):
    new, _ = waiting
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.post(decide(new, "approve")).status_code == 302
    for member in (make_user(), new.creators[0].user):
        client.force_login(member)
        assert client.get(QUEUE).status_code == 403
        assert client.post(decide(new, "approve")).status_code == 403
    assert Work.objects.get(pk=new.pk).approval == Approval.PENDING


def test_approve_and_reject_from_the_queue(client, waiting, staff, mailoutbox):
    new, old = waiting
    client.force_login(staff)
    prefix = f"w{old.pk}-message"
    response = client.post(decide(old, "approve"), {prefix: "Welcome back."}, follow=True)
    assert "“Old Lantern” was approved" in response.text
    assert "Old Lantern" not in response.text.split("Works waiting for approval")[1]
    response = client.post(decide(new, "reject"), {f"w{new.pk}-message": "Add warnings, please."})
    assert response.status_code == 302
    assert Work.objects.get(pk=old.pk).approval == Approval.APPROVED
    rejected = Work.objects.get(pk=new.pk)
    assert rejected.approval == Approval.REJECTED
    assert rejected.approval_message == "Add warnings, please."
    assert client.get(old.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(old.get_absolute_url()).status_code == 200
    assert client.get(new.get_absolute_url()).status_code == 404


def test_a_second_decision_is_refused_politely(client, waiting, staff):
    new, _ = waiting
    client.force_login(staff)
    client.post(decide(new, "approve"))  # another moderator was quicker
    response = client.post(decide(new, "reject"), follow=True)
    assert "no longer waiting" in response.text
    assert Work.objects.get(pk=new.pk).approval == Approval.APPROVED


def test_too_long_message_keeps_what_was_typed(client, waiting, staff):
    new, _ = waiting
    client.force_login(staff)
    typed = "Too long. " * 600
    response = client.post(decide(new, "reject"), {f"w{new.pk}-message": typed})
    assert response.status_code == 400
    assert "at most 5000 characters" in response.text.replace(",", "")
    assert "Too long. Too long." in response.text
    assert Work.objects.get(pk=new.pk).approval == Approval.PENDING


def test_rejected_author_edits_and_sends_again(client, waiting, staff):
    new, _ = waiting
    author = new.creators[0].user
    client.force_login(staff)
    client.post(decide(new, "reject"), {f"w{new.pk}-message": "Needs a summary."})
    client.force_login(author)
    page = client.get(new.get_absolute_url()).text
    assert "Not approved" in page and "Needs a summary." in page
    edit = client.get(reverse("works:edit", args=[new.pk])).text
    assert "send to the moderators again" in edit
    response = client.post(reverse("works:post", args=[new.pk]), follow=True)
    assert "sent to the moderators" in response.text
    assert Work.objects.get(pk=new.pk).approval == Approval.PENDING
    assert "Waiting for approval" in client.get(new.get_absolute_url()).text


def test_staff_header_counts_the_queue(client, waiting, staff, make_user):
    client.force_login(staff)
    assert 'title="works waiting for approval">2<' in client.get(reverse("works:index")).text
    client.force_login(make_user())
    assert "works waiting for approval" not in client.get(reverse("works:index")).text


def queue_counts(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("works:index"))
    return len([q for q in queries if "'pending'" in q["sql"]])


def test_only_staff_pages_run_the_one_queue_query(client, waiting, make_user, staff):
    assert queue_counts(client) == 0
    client.force_login(make_user())
    assert queue_counts(client) == 0
    client.force_login(staff)
    assert queue_counts(client) == 1
