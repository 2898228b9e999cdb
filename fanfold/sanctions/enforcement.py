"""What a suspension stops, registered with the write gate (fanfold.archive.gate).

A suspended member keeps their account: they log in, read, download their works, and
look after private things (private bookmarks, reading history, subscriptions, blocks,
display preferences, their password). Everything that shows something to others
(posting, editing, comments, kudos, public bookmarks) is refused with the reason and
the end date; the appeal view is marked `gate_exempt` where it is defined.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import gettext

from fanfold.sanctions.models import Sanction
from fanfold.sanctions.selectors import active_suspension

# Unsafe requests that touch only the member's own, unseen things.
PRIVATE_URL_NAMES = frozenset(
    {
        "accounts:password_change",
        "history:action",
        "history:mark",
        "subscriptions:create",
        "subscriptions:delete",
        "subscriptions:unsubscribe",
        "comments:inbox",
        "bookmarks:delete",
    }
)
PRIVATE_NAMESPACES = frozenset({"blocking"})
BOOKMARK_FORMS = frozenset({"bookmarks:new_work", "bookmarks:new_series", "bookmarks:edit"})
_UNSET = object()


def _suspension(request: HttpRequest) -> Sanction | None:
    # Once per request: the refusal and the banner both ask.
    cached = getattr(request, "_fanfold_suspension", _UNSET)
    if cached is _UNSET:
        cached = active_suspension(getattr(request, "user", None))
        request._fanfold_suspension = cached  # type: ignore[attr-defined]
    return cached  # type: ignore[return-value]


def _until(sanction: Sanction) -> str:
    return date_filter(timezone.localtime(sanction.until), "j F Y, H:i T")


def _private_request(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    if match.view_name in PRIVATE_URL_NAMES or match.namespace in PRIVATE_NAMESPACES:
        return True
    if match.view_name in BOOKMARK_FORMS:
        return request.POST.get("private", "") in ("on", "true", "1")
    # The reading-preferences part of the preferences page changes only how pages look.
    return match.view_name == "accounts:preferences" and request.POST.get("section") == "reading"


def suspension_refusal(request: HttpRequest) -> str | None:
    sanction = _suspension(request)
    if sanction is None or _private_request(request):
        return None
    return gettext(
        "Your account is suspended until {date}, so you cannot post, edit, comment, leave "
        "kudos or make public bookmarks. The moderators' reason: {reason}"
    ).format(date=_until(sanction), reason=sanction.reason)


def suspension_banner(request: HttpRequest) -> str | None:
    sanction = _suspension(request)
    if sanction is None:
        return None
    return gettext(
        "Your account is suspended until {date}: you can read and download, but not post, "
        "comment, leave kudos or bookmark publicly. Reason: {reason}"
    ).format(date=_until(sanction), reason=sanction.reason)
