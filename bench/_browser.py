"""A browser-like HTTP client for the benchmarks (cookies, a client address, no redirects)
and the mail the file mail backend writes, searched by recipient and link."""

from __future__ import annotations

import email
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookiejar import Cookie, CookieJar
from pathlib import Path


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    text: str
    location: str = ""


class Browser:
    """Cookies, a client address (the server reads it from X-Bench-Ip), no redirects."""

    def __init__(self, base: str, address: str, session: str = "") -> None:
        self.base, self.address = base, address
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )
        if session:
            self._set_cookie("sessionid", session)
            self.get("/")  # a member's page has the log-out form: the CSRF cookie comes

    def _set_cookie(self, name: str, value: str) -> None:
        host = urllib.parse.urlsplit(self.base).hostname or "127.0.0.1"
        cookie = Cookie(
            version=0, name=name, value=value, port=None, port_specified=False,
            domain=host, domain_specified=False, domain_initial_dot=False, path="/",
            path_specified=True, secure=False, expires=None, discard=False, comment=None,
            comment_url=None, rest={},
        )  # fmt: skip
        self.jar.set_cookie(cookie)

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.jar if c.name == name), "")

    def _open(self, request: urllib.request.Request) -> Answer:
        request.add_header("X-Bench-Ip", self.address)
        try:
            with self.opener.open(request, timeout=30) as resp:
                return Answer(resp.status, resp.read().decode(errors="replace"))
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            return Answer(error.code, body, error.headers.get("Location", ""))

    def get(self, path: str) -> Answer:
        # Our own server's http:// address only (S310).
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310

    def post(self, path: str, data: dict[str, str]) -> Answer:
        data = {"csrfmiddlewaretoken": self.cookie("csrftoken"), **data}
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")  # noqa: S310
        return self._open(request)


def stamp_in(html: str) -> str:
    match = re.search(r'name="form_stamp" value="([^"]*)"', html)
    return match.group(1) if match else ""


class MailDrop:
    """The messages the file mail backend wrote, searched by recipient and link."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def link(self, recipient: str, pattern: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for path in sorted(self.folder.glob("*.log")) if self.folder.exists() else []:
                text = path.read_text(errors="replace")
                for raw in text.split("-" * 79):
                    message = email.message_from_string(raw.strip())
                    if message["To"] != recipient:
                        continue
                    body = message.get_payload(decode=True) or b""
                    found = re.search(pattern, body.decode(errors="replace"))
                    if found:
                        return found.group(0)
            time.sleep(0.3)
        raise RuntimeError(f"no mail to {recipient} matching {pattern}")
