"""Filing reports and the queue's own state changes: snapshots, who is responsible,
what is audited and who is mailed."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from fanfold.audit.models import AuditEntry
from fanfold.comments.services import comment_delete
from fanfold.reports import services
from fanfold.reports.models import Report, ReportReason, ReportStatus
from fanfold.reports.targets import target_for_viewer
from fanfold.reports.tests.conftest import reason
from fanfold.works.chapter_services import chapter_update
from fanfold.works.fields import ChapterFields

pytestmark = pytest.mark.django_db


def test_a_guest_report_keeps_a_snapshot_and_is_acknowledged(
    guest_comment, file_report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = file_report("comment", guest_comment.pk, text="Insults in every line.")
    assert report.status == ReportStatus.OPEN and report.reporter is None
    assert report.reporter_email == "guest@example.org" and report.reporter_ip == "192.0.2.1"
    assert report.snapshot["parts"] == [["Comment", "<p>You write like a <b>fool</b>.</p>"]]
    assert report.snapshot["authors"] == ["Troll"]
    assert report.snapshot["facts"][-1] == ["Guest e-mail", "troll@example.org"]
    assert list(report.subjects.all()) == []  # a guest's comment has no account
    [ack] = mail.outbox
    assert ack.to == ["guest@example.org"] and "received your report" in ack.subject
    assert "Harassment" in ack.body
    entry = AuditEntry.objects.get(action="report.create")
    assert entry.actor is None and entry.target_id == str(report.pk)


def test_a_member_reports_as_themselves_and_the_writer_is_the_subject(
    member_comment, make_user, file_report
):
    reporter = make_user("heron", email="heron@example.org")
    report = file_report("comment", member_comment.pk, reporter=reporter, email="ignored@x.org")
    assert report.reporter == reporter and report.reporter_email == "heron@example.org"
    assert list(report.subjects.values_list("username", flat=True)) == ["gull"]


def test_the_snapshot_outlives_edits_and_deletion(member_comment, make_work, file_report, db):
    report = file_report("comment", member_comment.pk)
    comment_delete(comment=member_comment, user=member_comment.user)
    report.refresh_from_db()
    assert "Nobody wants this." in report.snapshot["parts"][0][1]

    work = make_work(title="Salt", body="<p>Copied <i>word for word</i>.</p>")
    chapter = work.chapters.get()
    chapter_report = file_report("chapter", chapter.pk, label="Plagiarism")
    creator = work.creators[0].user
    chapter_update(chapter=chapter, editor=creator, data=ChapterFields(body="<p>Mine now.</p>"))
    chapter_report.refresh_from_db()
    assert ["Text", "<p>Copied <i>word for word</i>.</p>"] in chapter_report.snapshot["parts"]
    assert chapter_report.label == "Salt, Chapter 1: Beginnings"


def test_a_work_snapshot_has_tags_creators_and_no_chapter_text(make_work, file_report):
    work = make_work(title="Deep Water", rating="Explicit", chapters=2)
    report = file_report("work", work.pk, label="Content not tagged as required")
    snap = report.snapshot
    assert snap["title"] == "Deep Water"
    assert ["Rating", ["Explicit"]] in snap["tags"]
    assert ["Fandom", ["Lighthouse Keepers"]] in snap["tags"]
    assert ["Chapters", "2/?"] in snap["facts"]
    assert not any(name == "Text" for name, _ in snap["parts"])
    assert [u.pk for u in report.subjects.all()] == [work.creators[0].user_id]


def test_guests_must_give_an_address_and_retired_reasons_are_refused(guest_comment):
    target = target_for_viewer(kind="comment", object_id=guest_comment.pk, viewer=None)
    with pytest.raises(ValidationError) as error:
        services.report_create(target=target, reason=reason(), text="", reporter=None)
    assert "email" in error.value.message_dict
    retired = ReportReason.objects.create(label="Old rule", active=False)
    with pytest.raises(ValidationError):
        services.report_create(
            target=target, reason=retired, text="", reporter=None, email="a@example.org"
        )
    assert not Report.objects.exists()


def test_assigning_takes_the_open_reports_and_is_audited(guest_comment, file_report, moderator):
    first = file_report("comment", guest_comment.pk)
    second = file_report("comment", guest_comment.pk, label="Spam")
    assert services.reports_assign(kind="comment", object_id=guest_comment.pk, actor=moderator) == 2
    for report in (first, second):
        report.refresh_from_db()
        assert (report.status, report.assigned_to) == (ReportStatus.ASSIGNED, moderator)
    assert AuditEntry.objects.filter(action="report.assign", actor=moderator).count() == 2
    # Taking them again changes nothing.
    assert services.reports_assign(kind="comment", object_id=guest_comment.pk, actor=moderator) == 0


@pytest.mark.parametrize("role", ["support", "wrangler"])
def test_only_report_handlers_assign_and_close(guest_comment, file_report, make_staff, role):
    file_report("comment", guest_comment.pk)
    actor = make_staff(role)
    with pytest.raises(PermissionDenied):
        services.reports_assign(kind="comment", object_id=guest_comment.pk, actor=actor)
    with pytest.raises(PermissionDenied):
        services.reports_close(kind="comment", object_id=guest_comment.pk, actor=actor)
    assert Report.objects.get().status == ReportStatus.OPEN


def test_dismissing_closes_every_open_report_and_tells_each_reporter(
    guest_comment, file_report, moderator, django_capture_on_commit_callbacks
):
    file_report("comment", guest_comment.pk, email="one@example.org")
    file_report("comment", guest_comment.pk, email="two@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        closed = services.reports_close(
            kind="comment",
            object_id=guest_comment.pk,
            actor=moderator,
            dismiss=True,
            note="Rude, but within the rules.",
        )
    assert len(closed) == 2
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.DISMISSED}
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.org", "two@example.org"]
    assert "does not break the archive's rules" in mail.outbox[0].body
    entries = AuditEntry.objects.filter(action="report.dismiss")
    assert [e.reason for e in entries] == ["Rude, but within the rules."] * 2
    # Nothing is left to close: no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        services.reports_close(kind="comment", object_id=guest_comment.pk, actor=moderator)
    assert len(mail.outbox) == 2


def test_support_writes_to_a_reporter(
    guest_comment, file_report, make_staff, django_capture_on_commit_callbacks
):
    report = file_report("comment", guest_comment.pk, email="asker@example.org")
    mail.outbox.clear()
    support = make_staff("support")
    with django_capture_on_commit_callbacks(execute=True):
        services.reporter_message(report=report, actor=support, text="Which line do you mean?")
    [message] = mail.outbox
    assert message.to == ["asker@example.org"] and "Which line do you mean?" in message.body
    assert AuditEntry.objects.filter(action="report.message", actor=support).exists()
    with pytest.raises(PermissionDenied):
        services.reporter_message(report=report, actor=make_staff("wrangler"), text="Hi")
    with pytest.raises(ValidationError):
        services.reporter_message(report=report, actor=support, text="  ")


def test_administrators_edit_the_reasons_and_it_is_audited(make_staff):
    admin = make_staff("administrator")
    added = services.reason_save(actor=admin, label="Impersonation", position=9)
    assert ReportReason.objects.filter(label="Impersonation", active=True).exists()
    services.reason_save(actor=admin, reason=added, label="Impersonation", position=9, active=False)
    added.refresh_from_db()
    assert added.active is False
    update = AuditEntry.objects.get(action="report_reason.update")
    assert update.changes == {"active": [True, False]}
    with pytest.raises(ValidationError):
        services.reason_save(actor=admin, label="spam")  # already there, any case
    with pytest.raises(PermissionDenied):
        services.reason_save(actor=make_staff("moderator"), label="Anything")


def test_the_default_reasons_are_seeded():
    labels = list(ReportReason.objects.values_list("label", flat=True))
    assert labels == [
        "Spam",
        "Harassment",
        "Content not tagged as required",
        "Plagiarism",
        "Other",
    ]
