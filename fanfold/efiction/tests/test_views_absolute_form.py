"""Requests whose target is a full URL, as reader tools send them through a proxy
(RFC 9112 §3.2.2: a server MUST accept the absolute form)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest

from fanfold.efiction.middleware import origin_form
from fanfold.efiction.tests.legacy_story import imported_story

SITE = "gluttonyfiction.com"


@pytest.mark.parametrize(
    "path_info, expected",
    [
        # What Python's wsgiref (runserver, the test live server) passes on.
        ("http://gluttonyfiction.com/viewstory.php", ("gluttonyfiction.com", "/viewstory.php")),
        ("https://www.example.org:8443/a/b", ("www.example.org:8443", "/a/b")),
        ("http://example.org", ("example.org", "/")),
        # What granian passes on (checked: it already strips scheme and host).
        ("/viewstory.php", None),
        ("/works/http://x", None),
        # An ordinary path that merely looks like a URL stays a path.
        ("/http://example.org/x", None),
    ],
)
def test_origin_form(path_info, expected):
    assert origin_form(path_info) == expected


@pytest.mark.django_db
def test_absolute_form_path_info_reaches_the_old_page(client, settings, make_user, make_work):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, SITE]
    imported_story(make_user, make_work, rating="General Audiences")
    response = client.get(
        "/",
        {"sid": "1", "index": "1"},
        PATH_INFO=f"http://{SITE}/viewstory.php",
        HTTP_HOST="127.0.0.1",
    )
    assert response.status_code == 200
    assert "The Lamp Room" in response.content.decode()


@pytest.mark.django_db
def test_the_target_host_still_has_to_be_allowed(client):
    response = client.get("/", PATH_INFO="http://evil.example/index.php")
    assert response.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_live_server_answers_a_proxy_style_request(live_server, settings, make_user, make_work):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, SITE]
    imported_story(make_user, make_work, rating="General Audiences")
    address = urlsplit(live_server.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as conn:
        conn.sendall(
            f"GET http://{SITE}/viewstory.php?sid=1&index=1 HTTP/1.1\r\n"
            f"Host: {SITE}\r\nConnection: close\r\n\r\n".encode()
        )
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert b"The Lamp Room" in body


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ask(port: int, request: bytes, deadline: float) -> bytes:
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
                conn.sendall(request)
                reply = b""
                while chunk := conn.recv(65536):
                    reply += chunk
                return reply
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_granian_serves_a_proxy_style_request(tmp_path):
    """granian (production, `manage.py serve`) runs our WSGI app: the absolute-form
    target reaches the old authors.php address (a page that needs no database)."""
    granian = shutil.which("granian", path=os.path.dirname(sys.executable))
    if granian is None:
        pytest.skip("granian is not installed")
    port = _free_port()
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": SITE,
        "FANFOLD_VAR_DIR": str(tmp_path),
        "FANFOLD_FILTER_WARMUP": "0",
        "FANFOLD_HTTPS": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    argv = [granian, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(
        [*argv, "--workers", "1", "--no-ws", "fanfold.wsgi:application"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        reply = _ask(
            port,
            f"GET http://{SITE}/authors.php?let=Q HTTP/1.1\r\n"
            f"Host: {SITE}\r\nConnection: close\r\n\r\n".encode(),
            deadline=time.monotonic() + 30,
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    head = reply.partition(b"\r\n\r\n")[0].decode().lower()
    assert head.startswith("http/1.1 301")
    assert "location: /authors?letter=q" in head
