"""The request an audited action happens in, for services that are not handed it.

Services take the acting member as an argument, but threading the client address
through every service signature would put request details into the domain layer; the
middleware keeps it in a context variable for the length of the request instead.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_client_ip: ContextVar[str | None] = ContextVar("fanfold_audit_client_ip", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address (the header named by CLIENT_IP_HEADER behind a proxy), or
    None when it is missing or not an address."""
    raw = request.META.get(settings.RATELIMIT_IP_META_KEY, "") or ""
    # X-Forwarded-For style headers may list several hops: the first is the client.
    candidate = raw.split(",")[0].strip()
    try:
        return str(ip_address(candidate))
    except ValueError:
        return None


def current_ip() -> str | None:
    return _client_ip.get()


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _client_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)
