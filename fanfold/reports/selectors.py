"""Reads for the reports queue, a reported object's page, and members' records."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils.translation import gettext

from fanfold.accounts.models import User
from fanfold.reports.models import (
    Appeal,
    ModerationAction,
    Report,
    ReportReason,
    ReportStatus,
    TargetKind,
)
from fanfold.reports.targets import Target, target_current, work_of
from fanfold.sanctions.record import RecordSection
from fanfold.staff.permissions import has_perm
from fanfold.works.models import RevisionRequest

GROUPS_PER_PAGE = 25
APPEALS_SHOWN = 50
APPEAL_TYPE = "appeal"


@dataclass
class QueueFilters:
    """The queue's query string, checked: anything unknown falls back to the default."""

    tab: str = ReportStatus.OPEN
    reason: ReportReason | None = None
    kind: str = ""
    mine: bool = False

    @classmethod
    def from_params(cls, params) -> QueueFilters:
        tab = params.get("tab", "")
        kind = params.get("type", "")
        reason_id = params.get("reason", "")
        reason = None
        if reason_id.isdigit():
            reason = ReportReason.objects.filter(pk=int(reason_id)).first()
        return cls(
            tab=tab if tab in ReportStatus.values else ReportStatus.OPEN,
            reason=reason,
            kind=kind if kind in TargetKind.values or kind == APPEAL_TYPE else "",
            mine=params.get("mine") == "1",
        )


@dataclass
class GroupRow:
    """The reports on one object in one tab: one row of the queue."""

    kind: str
    object_id: int
    label: str
    count: int
    first_at: datetime
    last_at: datetime
    reasons: list[str] = field(default_factory=list)
    assigned: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(TargetKind(self.kind).label)


@dataclass
class Queue:
    filters: QueueFilters
    groups: Page
    appeals: list[Appeal]
    tab_counts: dict[str, int]


def _reports(filters: QueueFilters, viewer: User) -> QuerySet[Report]:
    qs = Report.objects.filter(status=filters.tab)
    if filters.reason is not None:
        qs = qs.filter(reason=filters.reason)
    if filters.kind and filters.kind != APPEAL_TYPE:
        qs = qs.filter(kind=filters.kind)
    if filters.mine:
        qs = qs.filter(assigned_to=viewer)
    return qs


def _appeals(filters: QueueFilters, viewer: User) -> list[Appeal]:
    # Appeals have no report reason: a reason filter leaves them out, as does a type
    # filter naming another kind of thing than the action's.
    if filters.reason is not None:
        return []
    qs = Appeal.objects.filter(status=filters.tab).select_related(
        "action__member", "action__report", "assigned_to"
    )
    if filters.kind and filters.kind != APPEAL_TYPE:
        qs = qs.filter(action__target_kind=filters.kind)
    if filters.mine:
        qs = qs.filter(assigned_to=viewer)
    return list(qs.order_by("created_at", "pk")[:APPEALS_SHOWN])


def report_queue(*, viewer: User, params, page: str | int | None = 1) -> Queue:
    """One tab of the queue: appeals first (there are few, and a member is waiting),
    then one row per reported object, oldest first while open, newest first once closed.
    A fixed number of queries whatever the page holds."""
    filters = QueueFilters.from_params(params)
    groups = Paginator(_group_values(filters, viewer), GROUPS_PER_PAGE).get_page(page)
    groups.object_list = _group_rows(list(groups.object_list), filters, viewer)
    return Queue(
        filters=filters,
        groups=groups,
        appeals=_appeals(filters, viewer) if groups.number == 1 else [],
        tab_counts=_tab_counts(),
    )


def _group_values(filters: QueueFilters, viewer: User):
    if filters.kind == APPEAL_TYPE:
        return Report.objects.none().values("kind")
    order = ("first_at", "object_id") if filters.tab in ("open", "assigned") else ("-last_at",)
    return (
        _reports(filters, viewer)
        .values("kind", "object_id")
        .annotate(count=Count("pk"), first_at=Min("created_at"), last_at=Max("created_at"))
        .order_by(*order, "kind", "object_id")
    )


def _group_rows(values: list[dict], filters: QueueFilters, viewer: User) -> list[GroupRow]:
    """Reasons, labels and assignees for a page of groups, in one more query."""
    if not values:
        return []
    match = Q()
    for value in values:
        match |= Q(kind=value["kind"], object_id=value["object_id"])
    details: dict[tuple, list] = defaultdict(list)
    for report in (
        _reports(filters, viewer)
        .filter(match)
        .select_related("reason", "assigned_to")
        .order_by("pk")
    ):
        details[(report.kind, report.object_id)].append(report)
    rows = []
    for value in values:
        reports = details[(value["kind"], value["object_id"])]
        rows.append(
            GroupRow(
                kind=value["kind"],
                object_id=value["object_id"],
                label=reports[-1].label if reports else "",
                count=value["count"],
                first_at=value["first_at"],
                last_at=value["last_at"],
                reasons=sorted({r.reason.shown_label for r in reports}),
                assigned=sorted({r.assigned_to.username for r in reports if r.assigned_to}),
            )
        )
    return rows


def _tab_counts() -> dict[str, int]:
    """Reports and appeals per status: the numbers on the tabs."""
    counts = dict.fromkeys(ReportStatus.values, 0)
    for model in (Report, Appeal):
        for status, n in model.objects.values_list("status").annotate(n=Count("pk")).order_by():
            counts[status] += n
    return counts


@dataclass
class ReportedObject:
    """Everything the page of one reported object shows."""

    kind: str
    object_id: int
    reports: list[Report]
    actions: list[ModerationAction]
    current: Target | None

    @property
    def open_reports(self) -> list[Report]:
        return [r for r in self.reports if not r.is_closed]

    @property
    def label(self) -> str:
        return self.current.label if self.current is not None else self.reports[0].label

    @property
    def kind_label(self) -> str:
        return str(TargetKind(self.kind).label)

    @property
    def state(self) -> list[str]:
        """How the thing stands now, in words, for the staff page."""
        if self.current is None:
            return ["Deleted since it was reported; the snapshots below are what is left."]
        obj = self.current.obj
        notes = []
        if getattr(obj, "hidden_by_admin", False):
            notes.append(f"Hidden by staff: {getattr(obj, 'hidden_reason', '') or 'no reason'}")
        if getattr(obj, "deleted", False):
            notes.append("Deleted by its writer (the thread keeps a placeholder).")
        if getattr(obj, "posted", True) is False:
            notes.append("A draft: only its creators see it.")
        if getattr(obj, "is_active", True) is False:
            notes.append("The account is closed or banned.")
        work = work_of(self.current)
        revision = RevisionRequest.objects.filter(work=work).first() if work else None
        if revision is not None:
            notes.append(
                f"Waiting for its creators to {revision.get_kind_display()} it: {revision.reason}"
            )
        return notes or ["Visible as usual."]


def reported_object(*, kind: str, object_id: int) -> ReportedObject | None:
    """The reports on one object (newest first), the actions taken on it and the thing
    as it is now; None if nobody reported it."""
    if kind not in TargetKind.values:
        return None
    reports = list(
        Report.objects.filter(kind=kind, object_id=object_id)
        .select_related("reason", "reporter", "assigned_to", "closed_by")
        .order_by("-created_at", "-pk")
    )
    if not reports:
        return None
    actions = list(
        ModerationAction.objects.filter(target_kind=kind, object_id=object_id)
        .select_related("actor", "member", "appeal")
        .order_by("-created_at", "-pk")
    )
    return ReportedObject(
        kind=kind,
        object_id=object_id,
        reports=reports,
        actions=actions,
        current=target_current(kind=kind, object_id=object_id),
    )


def appeal_detail(*, appeal_id: int) -> Appeal | None:
    return (
        Appeal.objects.select_related(
            "action__member", "action__actor", "action__report", "assigned_to", "decided_by"
        )
        .filter(pk=appeal_id)
        .first()
    )


RECORD_ROWS = 20


@dataclass
class MemberReports:
    """A member's staff record, reports section: what they reported, what was reported
    about them, and what staff did about it (newest first, the counts are totals)."""

    made: list[Report]
    made_count: int
    received: list[Report]
    received_count: int
    actions: list[ModerationAction]


def member_reports(*, member: User) -> MemberReports:
    made = Report.objects.filter(reporter=member).select_related("reason")
    received = Report.objects.filter(subjects=member).select_related("reason")
    actions = ModerationAction.objects.filter(member=member).select_related("actor", "appeal")
    return MemberReports(
        made=list(made.order_by("-created_at", "-pk")[:RECORD_ROWS]),
        made_count=made.count(),
        received=list(received.order_by("-created_at", "-pk")[:RECORD_ROWS]),
        received_count=received.count(),
        actions=list(actions.order_by("-created_at", "-pk")[:RECORD_ROWS]),
    )


def active_reasons() -> QuerySet[ReportReason]:
    return ReportReason.objects.filter(active=True)


def member_reports_section(member: User, viewer) -> RecordSection | None:
    """Registered with the staff record: the member's reports, for staff who read them."""
    if not has_perm(viewer, "view_reports"):
        return None
    return RecordSection(
        title=gettext("Reports made and received"),
        template="reports/_record.html",
        context={"reports": member_reports(member=member)},
    )
