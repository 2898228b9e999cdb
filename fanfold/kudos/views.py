from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from fanfold.kudos import selectors, services
from fanfold.kudos.models import Kudos
from fanfold.works.models import Work


def address_key(request: HttpRequest) -> str:
    address = request.META.get(settings.RATELIMIT_IP_META_KEY, "")
    return hashlib.blake2b(
        f"kudos:{address}".encode(), digest_size=16, key=settings.SECRET_KEY.encode()[:64]
    ).hexdigest()


def _back(request: HttpRequest, work: Work) -> str:
    target = request.POST.get("next", "")
    if target.startswith(f"/works/{work.pk}") and "//" not in target:
        return target + "#kudos"
    return work.get_absolute_url() + "#kudos"


@require_POST
@ratelimit(group="kudos.ip", key="ip", rate="60/m", method="POST")
def kudos_create(request: HttpRequest, work_id: int) -> HttpResponse:
    work = Work.objects.filter(pk=work_id).first()
    if work is None:
        raise Http404("No such work.")
    member = request.user.is_authenticated
    # Guests are told apart by address alone (a keyed hash, never the address itself):
    # clearing cookies or switching browsers doesn't give a second kudos.
    guest_key = "" if member else address_key(request)
    try:
        services.kudos_give(work=work, user=request.user if member else None, guest_key=guest_key)
    except services.AlreadyLeftKudos as exc:
        messages.info(request, exc.messages[0])
    except PermissionDenied as exc:
        if (
            not Work.objects.readable_by(request.user).filter(pk=work.pk).exists()
            and not work.restricted
        ):
            raise Http404("No such work.") from None
        messages.error(request, str(exc))
    else:
        messages.success(request, "Thank you for leaving kudos!")
    return redirect(_back(request, work))


def kudos_list(request: HttpRequest, work_id: int) -> HttpResponse:
    work = Work.objects.readable_by(request.user).filter(pk=work_id).first()
    if work is None:
        raise Http404("No such work.")
    names = (
        Kudos.objects.filter(work=work, user__isnull=False)
        .order_by("-created_at", "-pk")
        .values_list("user__username", flat=True)
    )
    summary = selectors.kudos_summary(work=work, viewer=request.user)
    return render(
        request, "kudos/list.html", {"work": work, "names": list(names), "summary": summary}
    )
