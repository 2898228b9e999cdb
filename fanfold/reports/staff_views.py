"""Staff pages: the queue, a reported object's page with its actions, appeals, and the
list of reasons. Each view names its permission; the services check it again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fanfold.reports import appeals, selectors, services
from fanfold.reports.actions import action_take, available_actions
from fanfold.reports.forms import (
    ActionForm,
    AppealDecisionForm,
    DismissForm,
    MessageForm,
    ReasonForm,
    apply_errors,
)
from fanfold.reports.models import ActionKind, Report, ReportReason, ReportStatus, TargetKind
from fanfold.staff.permissions import has_perm, staff_required


@staff_required("view_reports")
def queue(request: HttpRequest) -> HttpResponse:
    data = selectors.report_queue(
        viewer=request.user, params=request.GET, page=request.GET.get("page")
    )
    context = {
        "queue": data,
        "tabs": [(v, label, data.tab_counts[v]) for v, label in ReportStatus.choices],
        "kinds": TargetKind.choices,
        "reasons": ReportReason.objects.all(),
    }
    return render(request, "reports/queue.html", context)


def _group_url(kind: str, object_id: int) -> str:
    return reverse("reports:group", args=[kind, object_id])


def _reported(kind: str, object_id: int) -> selectors.ReportedObject:
    reported = selectors.reported_object(kind=kind, object_id=object_id)
    if reported is None:
        raise Http404(_("Nobody reported that."))
    return reported


def _render_group(request, reported, *, bound=None, status: int = 200) -> HttpResponse:
    """The reported object's page; `bound` is a form that failed, shown with its errors
    and everything typed in place of the empty one."""
    bound = bound or {}
    subjects = reported.current.subjects if reported.current is not None else []
    kinds = available_actions(reported.current) if reported.current is not None else []
    can_act = has_perm(request.user, "handle_reports")
    context = {
        "reported": reported,
        "can_act": can_act,
        "can_message": has_perm(request.user, "answer_reporters"),
        "action_forms": [
            bound.get(kind) or ActionForm(kind=kind, subjects=subjects) for kind in kinds
        ]
        if can_act
        else [],
        "dismiss_form": bound.get("dismiss") or DismissForm(),
        "message_form": bound.get("message") or MessageForm(),
        "message_report": bound.get("message_report"),
    }
    return render(request, "reports/group.html", context, status=status)


@staff_required("view_reports")
def group(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    return _render_group(request, _reported(kind, object_id))


@staff_required("handle_reports")
@require_POST
def group_assign(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    _reported(kind, object_id)
    taken = services.reports_assign(kind=kind, object_id=object_id, actor=request.user)
    if taken:
        messages.success(
            request,
            ngettext(
                "{count} report assigned to you.", "{count} reports assigned to you.", taken
            ).format(count=taken),
        )
    else:
        messages.info(request, _("There were no open reports to take."))
    return redirect(_group_url(kind, object_id))


@staff_required("handle_reports")
@require_POST
def group_act(request: HttpRequest, kind: str, object_id: int, action: str) -> HttpResponse:
    reported = _reported(kind, object_id)
    if action not in ActionKind.values or reported.current is None:
        raise Http404(_("No such action here."))
    if action not in available_actions(reported.current):
        raise Http404(_("That action does not apply here."))
    form = ActionForm(request.POST, kind=action, subjects=reported.current.subjects)
    if form.is_valid():
        try:
            action_take(report=reported.reports[0], actor=request.user, data=form.to_fields())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Done: {action}.").format(action=form.label.lower()))
            return redirect(_group_url(kind, object_id))
    return _render_group(request, reported, bound={action: form}, status=400)


@staff_required("handle_reports")
@require_POST
def group_dismiss(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    reported = _reported(kind, object_id)
    form = DismissForm(request.POST)
    if not form.is_valid():
        return _render_group(request, reported, bound={"dismiss": form}, status=400)
    closed = services.reports_close(
        kind=kind,
        object_id=object_id,
        actor=request.user,
        dismiss=True,
        note=form.cleaned_data["note"],
    )
    messages.success(
        request,
        ngettext("{count} report dismissed.", "{count} reports dismissed.", len(closed)).format(
            count=len(closed)
        ),
    )
    return redirect(_group_url(kind, object_id))


@staff_required("handle_reports")
@require_POST
def group_resolve(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """Close the open reports after actions taken without closing them."""
    _reported(kind, object_id)
    closed = services.reports_close(kind=kind, object_id=object_id, actor=request.user)
    messages.success(
        request,
        ngettext("{count} report closed.", "{count} reports closed.", len(closed)).format(
            count=len(closed)
        ),
    )
    return redirect(_group_url(kind, object_id))


@staff_required("answer_reporters")
@require_POST
def report_message(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=report_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.reporter_message(
                report=report, actor=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your message to the reporter is on its way."))
            return redirect(_group_url(report.kind, report.object_id))
    reported = _reported(report.kind, report.object_id)
    return _render_group(
        request, reported, bound={"message": form, "message_report": report}, status=400
    )


# --- appeals ----------------------------------------------------------------------------


def _appeal_or_404(appeal_id: int):
    appeal = selectors.appeal_detail(appeal_id=appeal_id)
    if appeal is None:
        raise Http404(_("No such appeal."))
    return appeal


def _render_appeal(request, item, form=None, status: int = 200) -> HttpResponse:
    context = {
        "appeal": item,
        "action": item.action,
        "can_act": has_perm(request.user, "handle_reports"),
        "form": form or AppealDecisionForm(),
    }
    return render(request, "reports/appeal_staff.html", context, status=status)


@staff_required("view_reports")
def appeal(request: HttpRequest, appeal_id: int) -> HttpResponse:
    return _render_appeal(request, _appeal_or_404(appeal_id))


@staff_required("handle_reports")
@require_POST
def appeal_assign(request: HttpRequest, appeal_id: int) -> HttpResponse:
    item = _appeal_or_404(appeal_id)
    appeals.appeal_assign(appeal=item, actor=request.user)
    messages.success(request, _("The appeal is assigned to you."))
    return redirect(item)


@staff_required("handle_reports")
@require_POST
def appeal_decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    item = _appeal_or_404(appeal_id)
    decision = request.POST.get("decision")
    form = AppealDecisionForm(request.POST)
    if decision not in ("grant", "uphold"):
        form.add_error(None, "Choose whether to grant the appeal or let the action stand.")
    elif form.is_valid():
        try:
            appeals.appeal_decide(
                appeal=item,
                actor=request.user,
                grant=decision == "grant",
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Appeal granted: the action was undone.")
                if decision == "grant"
                else _("The action stands; the member was told."),
            )
            return redirect(item)
    return _render_appeal(request, item, form, status=400)


# --- the reasons list -------------------------------------------------------------------


@staff_required("manage_settings")
def reasons(request: HttpRequest) -> HttpResponse:
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reason_save(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The reason was added."))
            return redirect("reports:reasons")
    context = {"form": form, "reasons": ReportReason.objects.all()}
    return render(request, "reports/reasons.html", context, status=400 if form.errors else 200)


@staff_required("manage_settings")
def reason_edit(request: HttpRequest, reason_id: int) -> HttpResponse:
    reason = get_object_or_404(ReportReason, pk=reason_id)
    form = ReasonForm(request.POST or None, initial=ReasonForm.initial_for(reason))
    if request.method == "POST" and form.is_valid():
        try:
            services.reason_save(actor=request.user, reason=reason, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The reason was saved."))
            return redirect("reports:reasons")
    context = {"form": form, "reason": reason}
    return render(request, "reports/reason_edit.html", context, status=400 if form.errors else 200)
