from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanfold.archive.errors import NotFound
from fanfold.archive.params import parse_id
from fanfold.archive.returns import message_at, redirect_back
from fanfold.history import selectors, services
from fanfold.history.visits import pending_visits_write
from fanfold.memberstate.services import member_state_bump
from fanfold.works.blurbs import attach_blurbs
from fanfold.works.models import Work


@login_required
def history(request: HttpRequest, later: bool = False) -> HttpResponse:
    # Visits still buffered in this process are written first, so the page is current.
    pending_visits_write(user_id=request.user.pk)
    page = Paginator(selectors.readings_of(user=request.user, marked_only=later), 20).get_page(
        request.GET.get("page")
    )
    readings = attach_blurbs(page.object_list, viewer=request.user)
    available = selectors.available_work_ids(user=request.user, readings=readings)
    reached = selectors.reached_chapter_ids(readings=readings, available=available)
    for reading in readings:
        reading.available = reading.work_id in available
        reading.reached_chapter_id = reached.get(reading.work_id)
    return render(
        request, "history/list.html", {"page": page, "readings": readings, "later": later}
    )


@require_POST
@login_required
def history_action(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action")
    if action == "clear":
        services.history_clear(user=request.user)
        member_state_bump(user_ids=[request.user.pk])
        messages.success(request, _("Your reading history was cleared."))
    elif action in ("enable", "disable"):
        services.history_set_enabled(user=request.user, enabled=action == "enable")
        messages.success(
            request,
            _("History is on.")
            if action == "enable"
            else _("History is off; nothing new is recorded."),
        )
    elif action == "delete" and (reading_id := parse_id(request.POST.get("reading"))):
        services.reading_delete(user=request.user, reading_id=reading_id)
        member_state_bump(user_ids=[request.user.pk])
    return redirect("history:list")


@require_POST
@login_required
def mark_for_later(request: HttpRequest, work_id: int) -> HttpResponse:
    work = Work.objects.readable_by(request.user).filter(pk=work_id).first()
    if work is None:
        raise NotFound(gettext("No such work."))
    marked = request.POST.get("marked", "1") == "1"
    services.reading_mark_for_later(user=request.user, work=work, marked=marked)
    # Here rather than in the service: fanfold/history/services.py is being reworked on
    # another branch (buffered reading records); the lead may move this call on merge.
    member_state_bump(user_ids=[request.user.pk])
    text = gettext("Marked for later.") if marked else gettext("Removed from your reading list.")
    message_at(request, messages.SUCCESS, text, place="work-actions")
    return redirect_back(request, work.get_absolute_url(), anchor="work-actions")
