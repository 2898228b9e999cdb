"""Sending a reader back to where they were after a button under the work (kudos,
subscribe, mark for later, a comment, the display settings), with the confirmation
shown at the place the page lands.

The page a form came from travels as a hidden `next` field. Only a path on this site is
followed: anything a browser could read as another host (`//evil`, `/\\evil`,
`https://…`), a control character (a CR/LF would split the Location header) or a
backslash anywhere is refused and the view's default is used instead.

A message can name its place (`message_at`): the page that holds that place shows it
there (`{% flash_here %}`, fanfold.archive.templatetags.flash), and the list at the top
leaves it out; every other page shows it at the top as before.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

PATH_MAX = 1000
PLACE_TAG = "at-"
# Anchors we build ourselves: ids on the page, never reader input put in a header.
_ANCHOR = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,60}")


def safe_path(value: object) -> str | None:
    """`value` when it is a path on this site (a leading `/`, no scheme, no host), else
    None. The fragment is dropped: the caller says where on the page to land."""
    if not isinstance(value, str) or not value.startswith("/") or len(value) > PATH_MAX:
        return None
    if value.startswith("//") or "\\" in value:
        return None
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=None):
        return None
    return value.split("#", 1)[0]


def return_to(request: HttpRequest, default: str) -> str:
    """Where the form asked to go back to (POST `next`, else GET `next`), or `default`."""
    for source in (request.POST, request.GET):
        path = safe_path(source.get("next"))
        if path is not None:
            return path
    return default


def with_anchor(path: str, anchor: str = "") -> str:
    """`path` landing at `#anchor` (an id we name; anything else is ignored)."""
    path = path.split("#", 1)[0]
    if anchor and _ANCHOR.fullmatch(anchor):
        return f"{path}#{anchor}"
    return path


def redirect_back(request: HttpRequest, default: str, *, anchor: str = "") -> HttpResponseRedirect:
    """A redirect to the page the form came from (or `default`), at `#anchor`.
    Not `redirect()`: it would read a `next` such as "archive:home" as a view name."""
    return HttpResponseRedirect(with_anchor(return_to(request, default), anchor))


def message_at(request: HttpRequest, level: int, text: str, *, place: str) -> None:
    """A flash message shown at `place` (an anchor on the page it lands on)."""
    messages.add_message(request, level, text, extra_tags=f"{PLACE_TAG}{place}")


def place_of(message: Message) -> str:
    """The place a message was given by `message_at`, or ""."""
    for tag in (message.extra_tags or "").split():
        if tag.startswith(PLACE_TAG):
            return tag.removeprefix(PLACE_TAG)
    return ""


# Query parameters that choose what a reading page shows (not tracking or junk), kept
# when a form sends the reader back to it.
READING_PARAMS = ("view_full_work", "comments_page")
_PARAM_VALUE = re.compile(r"[A-Za-z0-9_-]{1,20}")


def here(request: HttpRequest, keep: tuple[str, ...] = READING_PARAMS) -> str:
    """This page's path with only the `keep` parameters: what a form's `next` holds, so
    a shared cached page (keyed by those parameters) never carries another visitor's."""
    kept = [
        (name, value) for name in keep if _PARAM_VALUE.fullmatch(value := request.GET.get(name, ""))
    ]
    return request.path + ("?" + urlencode(kept) if kept else "")
