"""Factories for report tests: the reasons, a filed report, a form's time stamp."""

from __future__ import annotations

import time

import pytest

from fanfold.archive.forms import form_stamp
from fanfold.comments.services import CommentFields, comment_create
from fanfold.reports.models import ReportReason
from fanfold.reports.services import report_create
from fanfold.reports.targets import target_for_viewer


def reason(label: str = "Harassment") -> ReportReason:
    return ReportReason.objects.get(label=label)


def shown_earlier(seconds: float = 10) -> str:
    """A time trap stamp for a form shown `seconds` ago (a person, not a bot)."""
    return form_stamp(time.time() - seconds)


@pytest.fixture
def guest_comment(make_work):
    work = make_work(title="Harbour Lights")
    return comment_create(
        work=work,
        user=None,
        data=CommentFields(
            body="<p>You write like a <b>fool</b>.</p>",
            guest_name="Troll",
            guest_email="troll@example.org",
        ),
    )


@pytest.fixture
def member_comment(make_work, make_user):
    work = make_work(title="Harbour Lights")
    writer = make_user("gull")
    return comment_create(
        work=work, user=writer, data=CommentFields(body="<p>Nobody wants this.</p>")
    )


@pytest.fixture
def file_report(db):
    def file(
        kind: str,
        object_id: int,
        *,
        reporter=None,
        label: str = "Harassment",
        text: str = "Please look.",
        email: str = "guest@example.org",
    ):
        target = target_for_viewer(kind=kind, object_id=object_id, viewer=reporter)
        assert target is not None
        return report_create(
            target=target,
            reason=reason(label),
            text=text,
            reporter=reporter,
            email=email,
            ip="192.0.2.1",
        )

    return file
