"""The public pages: the Report link and form (guests and members, bots refused, the
invisible not found), and the appeal page."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fanfold.comments.models import Comment
from fanfold.comments.services import CommentFields, comment_create
from fanfold.news.services import NewsPostFields, news_post_create
from fanfold.reports.actions import ActionFields, action_take, appeal_url
from fanfold.reports.models import ActionKind, Appeal, Report
from fanfold.reports.tests.conftest import reason, shown_earlier
from fanfold.staff.roles import Role
from fanfold.works.staff_services import work_set_hidden

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase"


def report_url(kind: str, object_id: int) -> str:
    return reverse("reports:new", args=[kind, object_id])


def guest_post(client, url: str, **overrides):
    data = {
        "reason": reason("Spam").pk,
        "text": "Links to a casino in every chapter.",
        "email": "watcher@example.org",
        "form_stamp": shown_earlier(),
        **overrides,
    }
    return client.post(url, data)


def test_every_reportable_page_has_a_report_link(client, make_work, make_user, member_comment):
    work = member_comment.work
    chapter = work.chapters.get()
    page = client.get(work.get_absolute_url()).content.decode()
    assert f'href="{report_url("work", work.pk)}"' in page
    assert f'href="{report_url("chapter", chapter.pk)}"' in page
    thread = client.get(member_comment.get_absolute_url()).content.decode()
    assert f'href="{report_url("comment", member_comment.pk)}"' in thread
    writer = member_comment.user
    profile = client.get(writer.get_absolute_url()).content.decode()
    assert f'href="{report_url("user", writer.pk)}"' in profile
    # No link to report oneself or one's own comment.
    client.force_login(writer)
    assert (
        report_url("user", writer.pk) not in client.get(writer.get_absolute_url()).content.decode()
    )
    assert (
        report_url("comment", member_comment.pk)
        not in client.get(work.get_absolute_url()).content.decode()
    )


def test_a_guest_reports_and_is_sent_back_with_thanks(
    client, member_comment, django_capture_on_commit_callbacks
):
    url = report_url("comment", member_comment.pk)
    form = client.get(url)
    assert form.status_code == 200 and b"Your e-mail address" in form.content
    with django_capture_on_commit_callbacks(execute=True):
        response = guest_post(client, url)
    assert response.status_code == 302 and response["Location"] == member_comment.get_absolute_url()
    report = Report.objects.get()
    assert report.reporter_email == "watcher@example.org" and report.reporter_ip == "127.0.0.1"
    assert [m.to for m in mail.outbox] == [["watcher@example.org"]]


def test_a_member_reports_without_giving_an_address(client, member_comment, make_user):
    reporter = make_user("osprey")
    client.force_login(reporter)
    url = report_url("comment", member_comment.pk)
    assert b"Your e-mail address" not in client.get(url).content
    response = client.post(url, {"reason": reason().pk, "text": "", "form_stamp": shown_earlier()})
    assert response.status_code == 302
    assert Report.objects.get().reporter == reporter


def test_a_form_with_a_mistake_keeps_what_was_typed(client, member_comment):
    response = guest_post(
        client, report_url("comment", member_comment.pk), email="", text="Line 3 is a threat."
    )
    assert response.status_code == 400
    assert b"Line 3 is a threat." in response.content
    assert not Report.objects.exists()


def test_the_honeypot_refuses_bots(client, member_comment):
    response = guest_post(client, report_url("comment", member_comment.pk), website="http://x")
    assert response.status_code == 400 and b"looks automated" in response.content
    assert not Report.objects.exists()


def test_the_time_trap_refuses_instant_and_forged_forms(client, member_comment, settings):
    settings.FORM_MIN_SECONDS = 3
    url = report_url("comment", member_comment.pk)
    instant = guest_post(client, url, form_stamp=shown_earlier(0))
    assert instant.status_code == 400 and b"faster than a person" in instant.content
    forged = guest_post(client, url, form_stamp="1700000000.0")
    assert forged.status_code == 400 and b"could not be checked" in forged.content
    missing = guest_post(client, url, form_stamp="")
    assert missing.status_code == 400
    assert not Report.objects.exists()
    assert guest_post(client, url, form_stamp=shown_earlier(4)).status_code == 302


def test_reports_are_rate_limited_per_address(client, member_comment, settings):
    settings.RATELIMIT_ENABLE = True
    settings.REPORT_RATE_PER_IP = "2/m"
    url = report_url("comment", member_comment.pk)
    statuses = [guest_post(client, url, text=f"report {n}").status_code for n in range(4)]
    assert statuses == [302, 302, 429, 429]
    assert Report.objects.count() == 2


def test_reporting_needs_a_csrf_token(member_comment):
    strict = Client(enforce_csrf_checks=True)
    response = guest_post(strict, report_url("comment", member_comment.pk))
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_what_the_reporter_cannot_see_is_not_found(client, make_work, make_user, moderator):
    work = make_work(title="Soon hidden")
    chapter = work.chapters.get()
    hidden_comment = comment_create(
        work=work, user=make_user(), data=CommentFields(body="<p>hello</p>")
    )
    from fanfold.comments.services import comment_set_hidden

    comment_set_hidden(comment=hidden_comment, hidden=True, actor=moderator, notify=False)
    assert client.get(report_url("comment", hidden_comment.pk)).status_code == 404
    work_set_hidden(work=work, hidden=True, actor=moderator, reason="x", notify=False)
    for kind, object_id in (("work", work.pk), ("chapter", chapter.pk), ("series", 10**6)):
        assert client.get(report_url(kind, object_id)).status_code == 404
        assert guest_post(client, report_url(kind, object_id)).status_code == 404
    assert client.get("/report/spaceship/1").status_code == 404
    assert not Report.objects.exists()


@pytest.fixture
def suspension(member_comment, file_report, moderator):
    report = file_report("comment", member_comment.pk)
    return action_take(
        report=report,
        actor=moderator,
        data=ActionFields(
            kind=ActionKind.SUSPEND,
            reason="Threats.",
            member=member_comment.user,
            until=timezone.now() + datetime.timedelta(days=5),
        ),
    )


def test_a_suspended_member_appeals_once(client, suspension):
    writer = suspension.member
    client.force_login(writer)
    url = appeal_url(suspension)
    page = client.get(url)
    assert page.status_code == 200 and b"Threats." in page.content
    # The write gate refuses them elsewhere...
    refused = client.post(
        reverse("comments:new", args=[Comment.objects.get().work_id]), {"body": "hi"}
    )
    assert refused.status_code == 403
    # ...but not here.
    response = client.post(url, {"text": "I was quoting the villain."})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.action == suspension and appeal.text == "I was quoting the villain."
    again = client.post(url, {"text": "Second try."})
    assert again.status_code == 200 and b"Your appeal" in again.content
    assert Appeal.objects.count() == 1


def test_a_banned_member_appeals_without_logging_in(client, member_comment, file_report, moderator):
    report = file_report("comment", member_comment.pk)
    ban = action_take(
        report=report,
        actor=moderator,
        data=ActionFields(kind=ActionKind.BAN, reason="Spam.", member=member_comment.user),
    )
    response = client.post(appeal_url(ban), {"text": "My account was stolen."})
    assert response.status_code == 302 and Appeal.objects.get().action == ban


def test_a_forged_appeal_link_is_not_found(client):
    assert client.get("/appeal/abc:def").status_code == 404


def test_the_creator_sees_why_their_work_is_hidden_until_they_edit_it(
    client, make_work, file_report, moderator
):
    work = make_work(title="Night Swim")
    report = file_report("work", work.pk)
    action_take(
        report=report,
        actor=moderator,
        data=ActionFields(kind=ActionKind.REQUIRE_TAGS, reason="Tag the major character death."),
    )
    assert client.get(work.get_absolute_url()).status_code == 404
    client.force_login(work.creators[0].user)
    for url in (work.get_absolute_url(), reverse("works:edit", args=[work.pk])):
        page = client.get(url).content.decode()
        assert "asked you to <strong>re-tag</strong> this work" in page
        assert "Tag the major character death." in page


def test_a_comment_on_a_news_post_can_be_reported(client, make_user):
    author = make_user("herald", roles=[Role.MODERATOR])
    post = news_post_create(
        author=author,
        data=NewsPostFields(title="Archive moves house", body="<p>New server.</p>", published=True),
    )
    comment = comment_create(
        news_post=post, user=make_user("troll"), data=CommentFields(body="Buy cheap watches")
    )
    client.force_login(make_user("osprey"))
    url = report_url("comment", comment.pk)
    assert "Archive moves house" in client.get(url).content.decode()
    response = client.post(url, {"reason": reason().pk, "text": "", "form_stamp": shown_earlier()})
    assert response.status_code == 302
    assert "Archive moves house" in Report.objects.get().snapshot["title"]
