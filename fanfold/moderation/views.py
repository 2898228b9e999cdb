"""The staff moderation queue. Views route forms to `moderation.services`, which check
again that the user may approve works."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from fanfold.archive.params import parse_id
from fanfold.moderation import services
from fanfold.moderation.forms import DecisionForm
from fanfold.moderation.selectors import work_queue
from fanfold.staff.permissions import staff_required
from fanfold.works.models import Work

DECISIONS = {"approve": services.work_approve, "reject": services.work_reject}


def _render_queue(
    request: HttpRequest, bound: dict[int, DecisionForm] | None = None
) -> HttpResponse:
    queue = work_queue(viewer=request.user, page=request.GET.get("page"))
    bound = bound or {}
    forms = [
        (item, bound.get(item.work.pk) or DecisionForm(prefix=f"w{item.work.pk}"))
        for item in queue.items
    ]
    status = 400 if bound else 200
    return render(request, "moderation/works.html", {"queue": queue, "rows": forms}, status=status)


@staff_required("approve_works")
def works_queue(request: HttpRequest) -> HttpResponse:
    return _render_queue(request)


@staff_required("approve_works")
@require_POST
def work_decide(request: HttpRequest, work_id: int, decision: str) -> HttpResponse:
    if decision not in DECISIONS:
        raise Http404(_("Unknown decision."))
    work = get_object_or_404(Work, pk=work_id)
    form = DecisionForm(request.POST, prefix=f"w{work.pk}")
    if form.is_valid():
        try:
            DECISIONS[decision](
                work=work, moderator=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Another moderator decided first; back to what is still waiting.
                messages.error(request, " ".join(error.messages))
                return redirect(_back(request))
            form.add_error(None, error)
        else:
            if decision == "approve":
                done = _("“{title}” was approved; its creators are told by e-mail.")
            else:
                done = _("“{title}” was rejected; its creators are told by e-mail.")
            messages.success(request, done.format(title=work.title))
            return redirect(_back(request))
    messages.error(
        request, _("“{title}” was not changed: see the message under it.").format(title=work.title)
    )
    return _render_queue(request, {work.pk: form})


def _back(request: HttpRequest) -> str:
    page = parse_id(request.GET.get("page"))
    url = reverse("moderation:works")
    return f"{url}?page={page}" if page else url
