"""Requests whose target is a full URL (`GET http://host/viewstory.php?sid=1 HTTP/1.1`).

Reader tools such as FanFicFare pick their parser by the old archive's hostname; pointing
their per-site `http_proxy` option at this archive makes them send the absolute form.
RFC 9112 §3.2.2 says a server MUST accept it and take the host from the target. granian
already hands the WSGI app `PATH_INFO='/viewstory.php'`, but Python's wsgiref (runserver,
the test live server) passes `PATH_INFO='http://host/viewstory.php'` through, which
would resolve to no URL at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_ABSOLUTE = re.compile(r"^https?://(?P<host>[^/?#]*)(?P<path>/.*)?$", re.IGNORECASE)


def origin_form(path_info: str) -> tuple[str, str] | None:
    """(host, path) for an absolute-form target, None for an ordinary path."""
    match = _ABSOLUTE.match(path_info)
    if match is None:
        return None
    return match["host"], match["path"] or "/"


class AbsoluteFormMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        parts = origin_form(request.path_info)
        if parts is not None:
            host, path = parts
            request.path_info = request.META["PATH_INFO"] = path
            script_name = request.META.get("SCRIPT_NAME", "").rstrip("/")
            request.path = script_name + path
            # The target's host wins over the Host header (RFC 9112); ALLOWED_HOSTS
            # still decides whether this archive answers for it.
            if host:
                request.META["HTTP_HOST"] = host
        return self.get_response(request)
