from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from fanfold.archive.errors import NotFound
from fanfold.archive.returns import message_at, redirect_back
from fanfold.kudos import selectors, services
from fanfold.works.models import Work
from fanfold.works.selectors import LoginRequired, WorkNotFound, work_for_reader


def address_key(request: HttpRequest) -> str:
    address = request.META.get(settings.RATELIMIT_IP_META_KEY, "")
    return hashlib.blake2b(
        f"kudos:{address}".encode(), digest_size=16, key=settings.SECRET_KEY.encode()[:64]
    ).hexdigest()


@require_POST
@ratelimit(group="kudos.ip", key="ip", rate="60/m", method="POST")
def kudos_create(request: HttpRequest, work_id: int) -> HttpResponse:
    # The work page's own lookup: a work the reader may not open is a 404 here too, and
    # only a members-only work a guest may not open asks them to log in.
    try:
        work, _chapter = work_for_reader(viewer=request.user, work_id=work_id)
    except WorkNotFound:
        raise NotFound(gettext("No such work.")) from None
    except LoginRequired:
        messages.error(request, _("Log in to leave kudos on members-only works."))
        # The work page sends a guest on to the login form and back.
        return redirect("works:detail", work_id)
    member = request.user.is_authenticated
    # Guests are told apart by address alone (a keyed hash, never the address itself):
    # clearing cookies or switching browsers doesn't give a second kudos.
    guest_key = "" if member else address_key(request)
    try:
        services.kudos_give(work=work, user=request.user if member else None, guest_key=guest_key)
    except services.AlreadyLeftKudos as exc:
        message_at(request, messages.INFO, exc.messages[0], place="kudos")
    except PermissionDenied as exc:
        message_at(request, messages.ERROR, str(exc), place="kudos")
    else:
        message_at(
            request, messages.SUCCESS, gettext("Thank you for leaving kudos!"), place="kudos"
        )
    # Back to the chapter the reader was on, at the kudos, with the message there.
    return redirect_back(request, work.get_absolute_url(), anchor="kudos")


def kudos_list(request: HttpRequest, work_id: int) -> HttpResponse:
    work = Work.objects.readable_by(request.user).filter(pk=work_id).first()
    if work is None:
        raise NotFound(gettext("No such work."))
    names = selectors.kudos_givers(work=work, viewer=request.user)
    summary = selectors.kudos_summary(work=work, viewer=request.user)
    return render(
        request, "kudos/list.html", {"work": work, "names": list(names), "summary": summary}
    )
