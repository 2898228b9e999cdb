"""The queue groups reports by object and filters them; records count a member's
reports; the invisible cannot be reported."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.datastructures import MultiValueDict

from fanfold.bookmarks.services import BookmarkFields, bookmark_create
from fanfold.reports.actions import ActionFields, action_take
from fanfold.reports.appeals import appeal_create
from fanfold.reports.models import ActionKind
from fanfold.reports.selectors import member_reports, report_queue, reported_object
from fanfold.reports.services import reports_assign, reports_close
from fanfold.reports.targets import target_for_viewer
from fanfold.reports.tests.conftest import reason
from fanfold.works.staff_services import chapter_set_hidden, work_set_hidden

pytestmark = pytest.mark.django_db


def params(**values) -> MultiValueDict:
    return MultiValueDict({key: [str(value)] for key, value in values.items()})


def test_reports_on_one_object_are_one_row_with_count_and_reasons(
    guest_comment, make_work, file_report, moderator
):
    file_report("comment", guest_comment.pk, label="Harassment")
    file_report("comment", guest_comment.pk, label="Spam")
    file_report("comment", guest_comment.pk, label="Spam")
    work = make_work(title="Other")
    file_report("work", work.pk, label="Plagiarism")
    queue = report_queue(viewer=moderator, params=params())
    rows = list(queue.groups)
    assert [(r.kind, r.count) for r in rows] == [("comment", 3), ("work", 1)]
    assert rows[0].reasons == ["Harassment", "Spam"]
    assert queue.tab_counts["open"] == 4

    by_reason = report_queue(viewer=moderator, params=params(reason=reason("Plagiarism").pk))
    assert [r.kind for r in by_reason.groups] == ["work"]
    by_kind = report_queue(viewer=moderator, params=params(type="comment"))
    assert [r.object_id for r in by_kind.groups] == [guest_comment.pk]


def test_tabs_follow_assignment_and_closing(guest_comment, make_work, file_report, moderator):
    file_report("comment", guest_comment.pk)
    work = make_work()
    file_report("work", work.pk)
    reports_assign(kind="work", object_id=work.pk, actor=moderator)
    assert [r.kind for r in report_queue(viewer=moderator, params=params()).groups] == ["comment"]
    assigned = report_queue(viewer=moderator, params=params(tab="assigned", mine=1))
    assert [(r.kind, r.assigned) for r in assigned.groups] == [("work", [moderator.username])]
    reports_close(kind="comment", object_id=guest_comment.pk, actor=moderator, dismiss=True)
    dismissed = report_queue(viewer=moderator, params=params(tab="dismissed"))
    assert [r.kind for r in dismissed.groups] == ["comment"]


def test_bad_query_values_fall_back_to_the_defaults(guest_comment, file_report, moderator):
    file_report("comment", guest_comment.pk)
    queue = report_queue(
        viewer=moderator, params=params(tab="nonsense", type="<b>", reason="9x"), page="zz"
    )
    assert queue.filters.tab == "open" and queue.filters.kind == "" and queue.filters.reason is None
    assert len(queue.groups.object_list) == 1


def test_appeals_are_rows_of_their_own(member_comment, file_report, moderator):
    report = file_report("comment", member_comment.pk)
    action = action_take(
        report=report, actor=moderator, data=ActionFields(kind=ActionKind.HIDE, reason="No.")
    )
    appeal = appeal_create(action=action, text="Yes?", sender=None)
    queue = report_queue(viewer=moderator, params=params())
    assert queue.appeals == [appeal] and not queue.groups.object_list  # the report was closed
    only = report_queue(viewer=moderator, params=params(type="appeal"))
    assert only.appeals == [appeal]
    assert report_queue(viewer=moderator, params=params(type="work")).appeals == []


def test_the_queue_takes_the_same_queries_for_1_or_20_objects(make_work, file_report, moderator):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            report_queue(viewer=moderator, params=params())
        return len(queries)

    file_report("work", make_work().pk)
    one = count()
    for _ in range(19):
        file_report("work", make_work().pk)
    assert count() == one


def test_member_record_counts_reports_made_and_received(member_comment, make_user, file_report):
    reporter = make_user("tern")
    file_report("comment", member_comment.pk, reporter=reporter)
    file_report("user", member_comment.user.pk, reporter=reporter)
    made = member_reports(member=reporter)
    received = member_reports(member=member_comment.user)
    assert (made.made_count, made.received_count) == (2, 0)
    assert (received.made_count, received.received_count) == (0, 2)


def test_reported_object_shows_the_current_state(make_work, file_report, moderator):
    work = make_work(title="Now Hidden")
    file_report("work", work.pk)
    work_set_hidden(work=work, hidden=True, actor=moderator, reason="Spam.", notify=False)
    reported = reported_object(kind="work", object_id=work.pk)
    assert reported.state == ["Hidden by staff: Spam."]
    work_id = work.pk
    work.delete()
    gone = reported_object(kind="work", object_id=work_id)
    assert gone.current is None and "Deleted" in gone.state[0]
    assert gone.label == "Now Hidden"
    assert reported_object(kind="nonsense", object_id=1) is None


def test_nothing_invisible_can_be_reported(make_work, make_user, moderator):
    member = make_user("member")
    draft = make_work(title="Draft", post=False)
    locked = make_work(title="Members only", restricted=True)
    hidden = make_work(title="Hidden")
    work_set_hidden(work=hidden, hidden=True, actor=moderator, reason="x", notify=False)
    for work in (draft, hidden):
        assert target_for_viewer(kind="work", object_id=work.pk, viewer=member) is None
        chapter = work.chapters.get()
        assert target_for_viewer(kind="chapter", object_id=chapter.pk, viewer=member) is None
    shown = make_work(title="Two parts", chapters=2)
    second = shown.chapters.get(position=2)
    chapter_set_hidden(chapter=second, hidden=True, actor=moderator, reason="x", notify=False)
    assert target_for_viewer(kind="chapter", object_id=second.pk, viewer=member) is None
    assert target_for_viewer(kind="work", object_id=shown.pk, viewer=member) is not None
    assert target_for_viewer(kind="work", object_id=locked.pk, viewer=None) is None
    assert target_for_viewer(kind="work", object_id=locked.pk, viewer=member) is not None
    # A creator can see their own draft (and report nothing odd by it).
    creator = draft.creators[0].user
    assert target_for_viewer(kind="work", object_id=draft.pk, viewer=creator) is not None

    owner = make_user("owner")
    private = bookmark_create(
        user=owner, work=make_work(title="Shelf"), data=BookmarkFields(private=True)
    )
    assert target_for_viewer(kind="bookmark", object_id=private.pk, viewer=member) is None
    assert target_for_viewer(kind="bookmark", object_id=private.pk, viewer=owner) is not None

    closed = make_user("closed")
    closed.is_active = False
    closed.save()
    assert target_for_viewer(kind="user", object_id=closed.pk, viewer=member) is None
    assert target_for_viewer(kind="nonsense", object_id=1, viewer=member) is None
    assert target_for_viewer(kind="work", object_id=10**9, viewer=member) is None
