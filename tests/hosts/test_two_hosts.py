"""Two app hosts and one database host (deploy/twohosts.sh): what a visitor notices when
their requests land on either app server, or on one that has just died.

The script builds network namespaces, so this needs root and iproute2; without them the
module is skipped with the reason, except in CI (CI=1), where it fails. It brings its own
PostgreSQL and Redis on the database host, so it runs once per CI run, in the main pass:
the PostgreSQL pass (DATABASE_URL set) and the Django 5.2 pass skip it.

Every visitor is a client of its own address (127.x.y.z: any of them reaches the proxy
through the loopback interface; direct to a host, the address travels in X-Real-IP as the
proxy would send it), so per-address limits and guest kudos see distinct people.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

import django
import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "deploy" / "twohosts.sh"
# Names of this run's own (two runs on one machine, say two CI jobs, must not tear down
# each other's hosts), unless a developer reuses one rig (FF_KEEP=1).
_RUN = 0 if os.environ.get("FF_KEEP") == "1" else os.getpid() % 10000
NAME = f"ffci{_RUN}"
SUBNET = f"10.232.{_RUN % 250}"
PROXY_PORT = 20000 + _RUN
STATE = Path(f"/tmp/fanfold-{NAME}")  # noqa: S108 (the script's own, root-only place)
HOSTS = {"app1": (f"{SUBNET}.11", 8000), "app2": (f"{SUBNET}.12", 8000)}
PROXY = ("127.0.0.1", PROXY_PORT)
PASSWORD = "a-long-passphrase"
MEMBERS = 24
# Limits the rig runs with: a member's comments per day (a day-long window cannot end
# during the few seconds this test sends them), and no form time trap (a visitor here
# sends a form as soon as it has it; the trap has tests of its own).
RIG_ENV = "\n".join(
    [
        "COMMENT_RATE_PER_USER=10/d",
        "COMMENT_RATE_PER_IP=1000/m",
        "FORM_MIN_SECONDS=0",
        # Hits stay in each process's buffer until it stops: only a clean stop writes them.
        "HITS_FLUSH_SECONDS=3600",
        "NOTICE_BATCH_SECONDS=0",
    ]
)

pytestmark = pytest.mark.hosts


def _missing() -> str:
    if os.geteuid() != 0:
        return "needs root to build network namespaces"
    for tool in ("ip", "nginx", "redis-server", "curl"):
        if not shutil.which(tool):
            return f"needs {tool} (make hosts-tools installs the rig's packages)"
    if not list(Path("/usr/lib/postgresql").glob("*/bin/postgres")):
        return "needs PostgreSQL's server binaries (make hosts-tools)"
    return ""


def _elsewhere() -> str:
    if os.environ.get("DATABASE_URL"):
        return "brings its own PostgreSQL: runs in the main (SQLite) pass, not this one"
    if django.VERSION < (6, 0):
        return "runs once per CI run, in the main pass (Django 6)"
    return ""


@pytest.fixture(scope="module")
def rig():
    if reason := _elsewhere():
        pytest.skip(reason)
    if reason := _missing():
        if os.environ.get("CI"):
            pytest.fail(f"The two-host test cannot run in CI: it {reason}.")
        pytest.skip(f"The two-host test {reason}.")
    env = {
        **os.environ,
        "FF_NAME": NAME,
        "FF_SUBNET": SUBNET,
        "FF_PROXY_PORT": str(PROXY_PORT),
        "FF_STATE": str(STATE),
        "FF_EXTRA_ENV": RIG_ENV,
        "FF_PYTHON": sys.executable,  # the hosts run the code this test runs
    }
    keep = os.environ.get("FF_KEEP") == "1"  # a developer's loop: leave it up, reuse it
    if not (keep and (STATE / "env").exists()):
        try:
            subprocess.run([str(SCRIPT), "up"], env=env, check=True, timeout=300)
        except (subprocess.SubprocessError, OSError):
            # `up` tears down after its own failures; not after being killed, or a crash.
            subprocess.run([str(SCRIPT), "down"], env=env, check=True, timeout=120)
            raise
    try:
        yield Rig(env=env)
    finally:
        if not keep:
            subprocess.run([str(SCRIPT), "down"], env=env, check=True, timeout=120)
            assert not STATE.exists(), "down left the state directory behind"
            namespaces = subprocess.run(
                [shutil.which("ip") or "ip", "netns", "list"], capture_output=True, text=True
            )
            assert NAME not in namespaces.stdout, "down left a network namespace behind"


_addresses = count(1)


def new_address() -> str:
    n = next(_addresses)
    return f"127.{40 + n // 65536}.{n // 256 % 256}.{n % 256}"


@dataclass
class Answer:
    status: int
    text: str
    headers: http.client.HTTPMessage

    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.text, "html.parser")


@dataclass
class Visitor:
    """One person: an address, cookies (one jar for every host, as one site's), and
    forms filled the way a browser fills them (the form's own hidden fields kept)."""

    address: str = field(default_factory=new_address)
    cookies: dict[str, str] = field(default_factory=dict)
    forms: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)

    def request(self, where: str, method: str, path: str, body: str = "") -> Answer:
        proxied = where == "proxy"
        host, port = PROXY if proxied else HOSTS[where]
        source = (self.address, 0) if proxied else None
        connection = http.client.HTTPConnection(host, port, timeout=30, source_address=source)
        headers = {"Host": f"127.0.0.1:{PROXY_PORT}", "Accept-Encoding": "identity"}
        if not proxied:
            headers["X-Real-IP"] = self.address
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body.encode() or None, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in header or value in ('""', ""):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return Answer(response.status, text, response.headers)

    def get(self, where: str, path: str) -> Answer:
        return self.request(where, "GET", path)

    def open_form(self, where: str, page: str, action: str | None = None) -> None:
        """Open `page` and keep its form (the one posting to `action`, or to the page
        itself) as a browser tab would: its fields as the page filled them."""
        target = action or page
        shown = self.get(where, page)
        assert shown.status == 200, f"{page} on {where}: {shown.status}"

        def posts_here(form) -> bool:
            method = (form.get("method") or "").lower()
            return method == "post" and (form.get("action") or page) == target

        form = next((f for f in shown.soup().find_all("form") if posts_here(f)), None)
        assert form is not None, f"no form posting to {target} on {page}"
        fields: list[tuple[str, str]] = []
        for element in form.find_all(["input", "select", "textarea"]):
            name = element.get("name")
            kind = (element.get("type") or "").lower()
            if not name or kind in {"submit", "button"}:
                continue
            if element.name == "select":
                chosen = element.find("option", selected=True)
                if chosen is not None:
                    fields.append((name, chosen.get("value", "")))
            elif element.name == "textarea":
                fields.append((name, element.text))
            elif kind in {"checkbox", "radio"}:
                if element.has_attr("checked"):
                    fields.append((name, element.get("value", "on")))
            else:
                fields.append((name, element.get("value", "")))
        self.forms[page, target] = fields

    def submit(
        self, where: str, page: str, data: dict, *, action: str | None = None, again: bool = False
    ) -> Answer:
        """Fill the form of `page` (see open_form) with `data` and send it. `again`: send
        the form this visitor already has open, without reloading the page (a person
        posting a second comment)."""
        target = action or page
        if not (again and (page, target) in self.forms):
            self.open_form(where, page, action)
        kept = [(name, value) for name, value in self.forms[page, target] if name not in data]
        body = urllib.parse.urlencode([*kept, *_pairs(data)])
        return self.request(where, "POST", target, body)

    def log_in(self, where: str, username: str) -> None:
        answer = self.submit(where, "/login", {"username": username, "password": PASSWORD})
        assert answer.status == 302, f"login on {where}: {answer.status}"


def _pairs(data: dict) -> list[tuple[str, str]]:
    # None leaves a field out (a checkbox unticked).
    return [
        (name, str(one))
        for name, value in data.items()
        for one in (value if isinstance(value, list) else [value])
        if one is not None
    ]


def option_value(soup: BeautifulSoup, name: str, label: str) -> str:
    for element in soup.find_all(attrs={"name": name}):
        if element.name == "select":
            for option in element.find_all("option"):
                if option.text.strip() == label:
                    return option["value"]
        elif element.find_parent("label") and label in element.find_parent("label").text:
            return element["value"]
    raise AssertionError(f"no choice {label!r} for {name}")


@dataclass
class Rig:
    env: dict[str, str]
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    def sql(self, query: str, *params) -> list[tuple]:
        """The database host's answer, over the bridge (what the app hosts see)."""
        import psycopg

        url = next(
            line.split("=", 1)[1]
            for line in (STATE / "env").read_text().splitlines()
            if line.startswith("DATABASE_URL=")
        )
        with psycopg.connect(url, connect_timeout=10) as connection:
            return connection.execute(query, params).fetchall()

    def script(self, *args: str, timeout: float = 120) -> None:
        subprocess.run([str(SCRIPT), *args], env=self.env, check=True, timeout=timeout)

    def __post_init__(self) -> None:
        # Every member the tests need, made in one go (a Django start on a host is slow),
        # each with a session as a login would leave (logging in has a test of its own).
        self.pool = [f"m{self.tag}{n}" for n in range(MEMBERS)]
        self.admin = f"a{self.tag}"
        code = (
            "import json\n"
            "from importlib import import_module\n"
            "from django.conf import settings\n"
            "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
            "from fanfold.accounts.services import user_create\n"
            "from django.contrib.auth.hashers import make_password\n"
            "from fanfold.accounts.models import User\n"
            # One Argon2 hash for all: it takes a tenth of a second each on a busy machine.
            f"hashed = make_password({PASSWORD!r})\n"
            "User.set_password = lambda user, raw: setattr(user, 'password', hashed)\n"
            "from fanfold.staff.services import member_roles_set\n"
            "sessions = {}\n"
            f"for name in {[*self.pool, self.admin]!r}:\n"
            f"    email = name + '@example.org'\n"
            f"    user = user_create(username=name, email=email, password={PASSWORD!r})\n"
            "    store = import_module(settings.SESSION_ENGINE).SessionStore()\n"
            "    store[SESSION_KEY] = str(user.pk)\n"
            "    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]\n"
            "    store[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
            "    store.create()\n"
            "    sessions[name] = store.session_key\n"
            f"    if name == {self.admin!r}:\n"
            "        member_roles_set(actor=None, member=user, roles=['administrator'])\n"
            "print('SESSIONS=' + json.dumps(sessions))\n"
        )
        out = subprocess.run(
            [
                str(SCRIPT),
                "run",
                "app1",
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                code,
            ],
            env=self.env,
            check=True,
            timeout=120,
            capture_output=True,
            text=True,
        ).stdout
        self.sessions = json.loads(out.split("SESSIONS=", 1)[1])

    def member(self, name: str) -> Visitor:
        """A visitor logged in as `name` (their session cookie)."""
        return Visitor(cookies={"sessionid": self.sessions[name]})

    def members(self, count_: int) -> list[str]:
        names, self.pool = self.pool[:count_], self.pool[count_:]
        assert len(names) == count_, "raise MEMBERS"
        return names

    def post_work(self, visitor: Visitor, where: str, title: str, fandom: str) -> int:
        form = visitor.get(where, "/works/new").soup()
        answer = visitor.submit(
            where,
            "/works/new",
            {
                "title": title,
                "rating": option_value(form, "rating", "General Audiences"),
                "warnings": option_value(form, "warnings", "No Archive Warnings Apply"),
                "categories": option_value(form, "categories", "Gen"),
                "fandoms": fandom,
                "freeforms": "Shared State",
                "language": "en",
                "text_format": "plain",
                "summary": f"Posted on {where}.",
                "chapter-body": f"Written for {title}.\n\nThe lamp burned on both hosts.",
                "action": "post",
            },
        )
        assert answer.status == 302, answer.text[:2000]
        return int(re.search(r"/works/(\d+)", answer.headers["Location"]).group(1))


def a_work_posted_on_one_host_shows_on_the_other_at_once(rig):
    author = rig.members(1)[0]
    writer = rig.member(author)
    title = f"Harbour Lights {rig.tag}"
    fandom = f"Lighthouse Keepers {rig.tag}"
    reader = Visitor()
    # The reader has seen host B's listings before the post (their cached copies too).
    before = reader.get("app2", "/works").text
    work_id = rig.post_work(writer, "app1", title, fandom)

    pages = {
        "listing": "/works",
        "filter": "/works?" + urllib.parse.urlencode({"tag": fandom}),
        "search": "/works?" + urllib.parse.urlencode({"q": f"Harbour {rig.tag}"}),
        "feed": "/rss.php",
        "work": f"/works/{work_id}",
    }
    for what, path in pages.items():
        answer = reader.get("app2", path)
        assert answer.status == 200, f"{what} on host B: {answer.status}"
        assert title in answer.text, f"the new work is missing from host B's {what}"
    assert title not in before
    # The counts: one work found, and one beside the new fandom in the filter, on host B.
    counted = reader.get("app2", pages["filter"]).soup().get_text(" ", strip=True)
    assert "of 1 work" in counted and f"{fandom} (1)" in counted, counted[:1500]


def the_page_cache_is_one_for_both_hosts_and_edits_show_at_once(rig):
    author = rig.members(1)[0]
    writer = rig.member(author)
    work_id = rig.post_work(writer, "app2", f"Tidewater {rig.tag}", f"Cache Keepers {rig.tag}")
    guest = Visitor()
    path = f"/works/{work_id}"
    assert guest.get("app1", path).headers["X-Page-Cache"] == "miss"
    # Rendered by host A, served by host B from the same cache.
    second = guest.get("app2", path)
    assert second.headers["X-Page-Cache"] == "hit"
    assert "Tidewater" in second.text
    # The author edits on host B; host A's next answer has the new title.
    edit = writer.submit("app2", f"/works/{work_id}/edit", {"title": f"Ebb Tide {rig.tag}"})
    assert edit.status == 302, edit.text[:2000]
    after = guest.get("app1", path)
    title = after.soup().title.get_text()
    assert f"Ebb Tide {rig.tag}" in title and "Tidewater" not in title


def logging_in_on_one_host_is_logging_in_on_both_and_so_is_logging_out(rig):
    name = rig.members(1)[0]
    person = Visitor()
    person.log_in("app1", name)
    assert person.get("app2", "/preferences").status == 200
    home = person.get("app2", "/").soup()
    logout = home.find("form", action="/logout")
    assert logout is not None, "host B does not know the member logged in on host A"
    answer = person.submit("app1", "/", {}, action="/logout")
    assert answer.status == 302
    # The same session cookie, now ended everywhere: host B sends them to log in.
    stale = Visitor(cookies={"sessionid": person.cookies.get("sessionid", "gone")})
    assert person.get("app2", "/preferences").status == 302
    assert stale.get("app2", "/preferences").status == 302


def a_lockdown_switched_on_one_host_holds_on_the_other_at_once(rig):
    admin = rig.member(rig.admin)
    writer = rig.member(rig.members(1)[0])
    work_id = rig.post_work(writer, "app1", f"Quiet {rig.tag}", f"Paused Keepers {rig.tag}")
    page, kudos = f"/works/{work_id}", f"/works/{work_id}/kudos"
    switch = "/staff/lockdown"
    guest = Visitor()
    guest.open_form("app2", page, kudos)  # a guest has the page open on host B
    on = admin.submit("app1", switch, {"guests_paused": "on", "reason": "Spam wave"})
    assert on.status == 302, on.text[:2000]
    try:
        # Switched on host A; host B refuses the guest's kudos at once, and says so.
        assert guest.submit("app2", page, {}, action=kudos, again=True).status == 302
        assert "Guest kudos are paused" in guest.get("app2", page).text
        [(count_,)] = rig.sql("SELECT kudos_count FROM works_work WHERE id = %s", work_id)
        assert count_ == 0
    finally:
        off = admin.submit("app1", switch, {"guests_paused": None, "reason": "Over"})
        assert off.status == 302
    assert Visitor().submit("app2", page, {}, action=kudos).status == 302
    [(count_,)] = rig.sql("SELECT kudos_count FROM works_work WHERE id = %s", work_id)
    assert count_ == 1


def kudos_and_comments_from_both_hosts_at_once_lose_nothing(rig):
    names = rig.members(6)
    writer = rig.member(names[0])
    work_id = rig.post_work(writer, "app1", f"Crossing {rig.tag}", f"Busy Keepers {rig.tag}")
    guests = [Visitor() for _ in range(20)]
    members = [rig.member(name) for name in names[1:]]

    def kudos(n: int) -> int:
        where = "app1" if n % 2 else "app2"
        return (
            guests[n]
            .submit(where, f"/works/{work_id}", {}, action=f"/works/{work_id}/kudos")
            .status
        )

    def comment(n: int) -> int:
        visitor = members[n % len(members)]
        where = "app1" if n % 2 else "app2"
        body = {"body": f"Comment {n} from {where} ({rig.tag})"}
        return visitor.submit(
            where, f"/works/{work_id}", body, action=f"/works/{work_id}/comments", again=True
        ).status

    for visitor in members:  # each member has the work page open
        visitor.get("app1", f"/works/{work_id}")
    with ThreadPoolExecutor(12) as pool:
        kudos_sent = pool.map(kudos, range(len(guests)))
        comments_sent = pool.map(comment, range(20))
        kudos_statuses, comment_statuses = list(kudos_sent), list(comments_sent)
    assert kudos_statuses == [302] * 20
    assert comment_statuses == [302] * 20
    [(kudos_count, comment_count)] = rig.sql(
        "SELECT kudos_count, comment_count FROM works_work WHERE id = %s", work_id
    )
    [(kudos_rows,)] = rig.sql("SELECT count(*) FROM kudos_kudos WHERE work_id = %s", work_id)
    assert (kudos_rows, kudos_count) == (20, 20)
    assert comment_count == 20
    page = Visitor().get("app2", f"/works/{work_id}").text
    assert all(f"Comment {n} from" in page for n in range(20))


def a_members_comment_limit_counts_on_both_hosts_together(rig):
    names = rig.members(2)
    writer, talker = rig.member(names[0]), rig.member(names[1])
    work_id = rig.post_work(writer, "app1", f"Chatter {rig.tag}", f"Loud Keepers {rig.tag}")
    statuses = []
    for n in range(12):
        where = "app1" if n % 2 else "app2"
        body = {"body": f"Again {n}"}
        statuses.append(
            talker.submit(
                where, f"/works/{work_id}", body, action=f"/works/{work_id}/comments", again=True
            ).status
        )
    # Ten a day (the rig's COMMENT_RATE_PER_USER), wherever they are sent: counted per
    # process, four processes would have let all twelve through.
    assert statuses == [302] * 10 + [429] * 2


def background_tasks_queued_on_one_host_run_on_the_worker_of_the_other(rig):
    names = rig.members(2)
    writer, reader = rig.member(names[0]), rig.member(names[1])
    work_id = rig.post_work(writer, "app1", f"Letters {rig.tag}", f"Mail Keepers {rig.tag}")
    # A comment on host B; the task worker runs on host A only. The author's mail arrives.
    answer = reader.submit(
        "app2", f"/works/{work_id}", {"body": "Lovely."}, action=f"/works/{work_id}/comments"
    )
    assert answer.status == 302
    mail = STATE / "mail"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if any(f"{names[0]}@example.org" in p.read_text(errors="replace") for p in mail.glob("*")):
            break
        time.sleep(0.5)
    else:
        pytest.fail("the comment notice queued on host B was never sent by host A's worker")


def a_stopped_host_writes_its_buffered_hits_before_it_goes(rig):
    writer = rig.member(rig.members(1)[0])
    work_id = rig.post_work(writer, "app1", f"Counted {rig.tag}", f"Hit Keepers {rig.tag}")
    for _ in range(7):
        assert Visitor().get("app2", f"/works/{work_id}").status == 200
    rig.script("stop", "app2")
    try:
        [(hits,)] = rig.sql("SELECT hits FROM works_work WHERE id = %s", work_id)
        assert hits == 7
    finally:
        rig.script("start", "app2")


def killing_a_host_mid_load_loses_no_confirmed_write_and_the_proxy_serves_on(rig):
    names = rig.members(8)
    writer = rig.member(names[0])
    work_id = rig.post_work(writer, "proxy", f"Storm {rig.tag}", f"Storm Keepers {rig.tag}")
    members = [rig.member(name) for name in names[1:]]
    page, action = f"/works/{work_id}", f"/works/{work_id}/comments"
    killed: list[float] = []
    confirmed: list[str] = []
    answers: list[tuple[float, int]] = []
    lock = threading.Lock()
    some_answered = threading.Event()

    def talk(n: int) -> None:
        # Ten comments each (their daily limit on the rig), one after another.
        for k in range(10):
            body = f"Storm note {n}.{k} ({rig.tag})"
            started = time.monotonic()
            try:
                status = members[n].submit("proxy", page, {"body": body}, action=action, again=True)
                status = status.status
            except OSError:
                status = 0
            with lock:
                answers.append((started, status))
                if status == 302:
                    confirmed.append(body)
                if len(answers) >= 12:
                    some_answered.set()

    def kill_midway() -> None:
        some_answered.wait(60)
        rig.script("kill", "app2")
        killed.append(time.monotonic())

    with ThreadPoolExecutor(len(members) + 1) as pool:
        killer = pool.submit(kill_midway)
        list(pool.map(talk, range(len(members))))
        killer.result()
    # Requests in flight at the kill may fail (they were never confirmed); once host B
    # is gone, the proxy sends every request to host A.
    after = [status for started, status in answers if started > killed[0]]
    assert len(after) >= 10, f"only {len(after)} requests were sent after the kill"
    assert set(after) == {302}, f"requests after the kill failed: {after}"
    stored = {
        body for (body,) in rig.sql("SELECT body FROM comments_comment WHERE work_id = %s", work_id)
    }
    missing = [body for body in confirmed if body not in stored]
    assert not missing, f"confirmed comments lost: {missing}"
    [(comment_count,)] = rig.sql("SELECT comment_count FROM works_work WHERE id = %s", work_id)
    assert comment_count == len(stored)
    # Readers keep reading through the proxy with only host A left.
    for _ in range(6):
        assert Visitor().get("proxy", page).status == 200
    rig.script("start", "app2")
    assert json.loads(Visitor().get("app2", "/healthz").text)["ok"] is True


# One test, so one worker builds one rig (pytest-xdist would otherwise hand the module's
# tests to both workers, each building its own). Every scenario runs even when an earlier
# one fails, and the failure names each one that did.
SCENARIOS = [
    a_work_posted_on_one_host_shows_on_the_other_at_once,
    the_page_cache_is_one_for_both_hosts_and_edits_show_at_once,
    logging_in_on_one_host_is_logging_in_on_both_and_so_is_logging_out,
    a_lockdown_switched_on_one_host_holds_on_the_other_at_once,
    kudos_and_comments_from_both_hosts_at_once_lose_nothing,
    a_members_comment_limit_counts_on_both_hosts_together,
    background_tasks_queued_on_one_host_run_on_the_worker_of_the_other,
    a_stopped_host_writes_its_buffered_hits_before_it_goes,
    killing_a_host_mid_load_loses_no_confirmed_write_and_the_proxy_serves_on,
]


def test_two_app_hosts_behave_as_one_site(rig):
    failures: dict[str, str] = {}
    for scenario in SCENARIOS:
        try:
            scenario(rig)
        except Exception as error:  # reported below, with the scenario's name
            failures[scenario.__name__] = f"{type(error).__name__}: {error}"
    assert not failures, "\n\n".join(f"{name}: {why}" for name, why in failures.items())
