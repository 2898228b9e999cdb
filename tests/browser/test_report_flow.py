"""The whole moderation flow in real Chromium: a guest reports a comment, a moderator
finds it in the queue, hides it and suspends its writer, the writer is told why by
e-mail, sees it when they log in, cannot comment, appeals once, and the appeal reaches
the queue. The audit log holds every step."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from fanfold.accounts.services import user_create
from fanfold.audit.models import AuditEntry
from fanfold.comments.services import CommentFields, comment_create
from fanfold.reports.models import Appeal, Report, ReportStatus
from tests.browser.steps import PASSWORD, follow, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def act(page, action: str, fill) -> None:
    """Open one action's form on the reported object's page, fill it, send it."""
    box = page.locator("details.action-form", has=page.get_by_text(action, exact=True))
    box.locator("summary").click()
    fill(box)
    follow(page, box.get_by_role("button", name=action))


def test_report_hide_suspend_appeal(page, make_work, settings):
    settings.FORM_MIN_SECONDS = 0  # the guest here types faster than any person
    author = user_create(username="keeper", email="keeper@example.org", password=PASSWORD)
    writer = user_create(username="gull", email="gull@example.org", password=PASSWORD)
    moderator = user_create(username="mod", email="mod@example.org", password=PASSWORD)
    moderator.groups.add(Group.objects.get(name="moderator"))
    moderator.is_staff = True
    moderator.save()
    work = make_work(author, title="Harbour Lights")
    chapter = work.chapters.get()
    comment = comment_create(
        work=work, user=writer, chapter=chapter, data=CommentFields(body="<p>You should quit.</p>")
    )

    # A guest reports the comment from the work page.
    page.goto(work.get_absolute_url())
    follow(page, page.locator(f"#comment_{comment.pk}").get_by_role("link", name="Report"))
    page.get_by_label("Harassment").check()
    page.get_by_label("Tell us more").fill("Aimed at the author, not the story.")
    page.get_by_label("Your e-mail address").fill("passer@example.org")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url(re.compile(rf"/comments/{comment.pk}$"))
    assert "Thank you. Your report is with the archive's staff" in page.content()
    acknowledgement = [m for m in mail.outbox if m.to == ["passer@example.org"]]
    assert [m.subject for m in acknowledgement] == ["[Fanfold] We received your report"]

    # The moderator finds it in the queue, takes it, hides the comment, suspends gull.
    log_in(page, "mod")
    page.goto("/staff/reports")
    row = page.locator("tr.queue-group")
    assert "Harassment" in row.inner_text() and "Comment" in row.inner_text()
    follow(page, row.get_by_role("link"))
    assert "You should quit." in page.locator(".snapshot").first.inner_text()
    follow(page, page.get_by_role("button", name="Assign to me"))

    def hide(box):
        box.get_by_label("Reason (the member reads this)").fill("Comments are for the work.")
        box.get_by_label("Close the open reports on this and tell the reporters").uncheck()

    act(page, "Hide", hide)
    assert "Done: hide." in page.content()
    until = (timezone.now() + datetime.timedelta(days=7)).date().isoformat()

    def suspend(box):
        box.get_by_label("Reason (the member reads this)").fill("Harassing a creator.")
        box.get_by_label("Suspended until").fill(until)

    act(page, "Suspend the member", suspend)
    assert "Done: suspend the member." in page.content()
    report = Report.objects.get()
    assert report.status == ReportStatus.RESOLVED
    log_out(page)

    # gull is told why, with the link to appeal.
    notices = [m for m in mail.outbox if m.to == ["gull@example.org"]]
    hidden, suspended = [m for m in notices if "how to appeal" in m.subject]
    assert "Comments are for the work." in hidden.body
    ours = suspended
    assert (
        "Their decision: Suspend the member until" in ours.body
        and "Harassing a creator." in ours.body
    )
    appeal_link = re.search(r"http://\S+(/appeal/\S+)", ours.body).group(1)
    reporter_mail = [m for m in mail.outbox if m.to == ["passer@example.org"]][-1]
    assert "We looked at the comment you reported and hid it" in reporter_mail.body

    # gull logs in, sees the suspension, cannot comment, and appeals.
    log_in(page, "gull")
    page.goto(work.get_absolute_url())
    banner = page.locator(".flash--banner").inner_text()
    assert "suspended" in banner.lower()
    page.locator("form#add_comment").get_by_label("Comment").fill("Let me explain.")
    follow(page, page.locator("form#add_comment").get_by_role("button", name="Comment"))
    assert "suspended" in page.content().lower()
    page.goto(appeal_link)
    assert "Harassing a creator." in page.content()
    page.get_by_label("Your appeal").fill("I was quoting a character in the story.")
    follow(page, page.get_by_role("button", name="Send appeal"))
    assert "Your appeal was sent." in page.content()
    assert Appeal.objects.get().text == "I was quoting a character in the story."
    log_out(page)

    # The appeal is in the queue.
    log_in(page, "mod")
    page.goto("/staff/reports")
    appeal_row = page.locator("tr.queue-appeal")
    assert "Suspend the member" in appeal_row.inner_text()
    follow(page, appeal_row.get_by_role("link"))
    assert "I was quoting a character in the story." in page.content()

    steps = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    page.goto("/staff/audit")
    log = page.locator("main").inner_text()
    for step in (
        "report.create",
        "report.assign",
        "comment.hide",
        "report.action",
        "member.suspend",
        "report.resolve",
        "appeal.create",
    ):
        assert step in steps, (step, steps)
        assert step in log, step
