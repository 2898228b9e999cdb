"""Fanfold spam test: a bot script against the real server (`manage.py serve` with its task
worker) in each sign-up mode, while a legitimate member signs up, confirms their address
from the mail the site wrote to disk, and comments. See bench/README.md.

    .venv/bin/python bench/spam.py [--signups 200] [--comments 500] [--smoke]
                                   [--modes open,confirm,invite,closed,paused]
                                   [--backend sqlite|postgres]

Per mode it prints what the bots got through, what was held and what was refused, and
whether the member's flow passed. The last line is always
`spam: through=<T> held=<H> refused=<R> accounts=<A> legit_ok=<0|1>` over all modes
(T: bot comments readers can see; A: bot accounts made); the exit status is 1 when a bot
comment got through or the member's flow failed.

Fanfold's own modules are imported inside the functions that use them: the script picks
its database (environment variables) before Django is set up, and models cannot be
imported before that.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from _browser import Browser, MailDrop, stamp_in
from _common import RESULTS, Server, run_child, step
from spam_member import Legit, legit_flow

PG_URL = "postgres://postgres@127.0.0.1:5432/fanfold_bench_spam"
WORKS = 6
BOT_ADDRESSES = 25  # a small botnet: per-address rate limits catch some, not all
MODES = ("open", "confirm", "invite", "closed", "paused")
# The settings every mode runs with: a new member's first comment and guest comments
# with more than two links wait for approval.
HELD_FIRST, LINK_LIMIT = 1, 2
SPAM_LINKS = " ".join(f"http://cheap-pills-{n}.example/buy" for n in range(5))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--signups", type=int, default=200, help="bot sign-ups per mode")
    parser.add_argument("--comments", type=int, default=500, help="bot comments per mode")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--smoke", action="store_true", help="tiny counts, same code path")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)  # internal
    return parser.parse_args()


# --- the child process: Django-side setup and counting ----------------------------------


# Fanfold modules are imported inside the child's functions, after _django(): importing
# them needs django.setup(), which runs only once the child has its database settings.
# No import cycle is involved.


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.settings")
    import django

    django.setup()


def _session_for(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from fanfold.accounts.sessions.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def child_prepare() -> dict:
    """Migrate; make an author with works, an administrator and a long-standing member."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    from fanfold.accounts.services import user_create
    from fanfold.comments.services import CommentFields, comment_create
    from fanfold.tags.models import Tag
    from fanfold.works.fields import ChapterFields, WorkFields
    from fanfold.works.services import work_create

    rating = Tag.objects.named("General Audiences").get()
    warning = Tag.objects.named("No Archive Warnings Apply").get()
    # Members from before: their addresses confirmed (in "confirm" mode, an unconfirmed
    # one would be asked to confirm before writing, creators approving comments included).
    author = user_create(
        username="author", email="author@example.org", password=None, email_verified=True
    )
    admin = user_create(
        username="admin", email="admin@example.org", password=None, is_superuser=True
    )
    oldhand = user_create(
        username="oldhand", email="oldhand@example.org", password=None, email_verified=True
    )
    works = []
    for n in range(WORKS):
        work = work_create(
            creator=author,
            data=WorkFields(
                title=f"Quiet Harbour {n}",
                rating=rating,
                warnings=[warning],
                fandoms=["Lighthouse Keepers"],
            ),
            chapter=ChapterFields(body="<p>The tide came in slowly.</p>"),
            post=True,
        )
        chapter = work.chapters.get()
        works.append((work.pk, chapter.pk))
        # The long-standing member has comments published long ago: not a new account.
        comment_create(
            work=work, user=oldhand, chapter=chapter, data=CommentFields(body="Lovely, as ever.")
        )
    sessions = {u.username: _session_for(u) for u in (author, admin, oldhand)}
    return {"works": works, "sessions": sessions}


def child_configure(mode: str) -> dict:
    """Set the mode's site settings and start its rate-limit windows afresh."""
    from django.core.cache import caches

    from fanfold.archive.models import SignupMode, SiteSettings

    site = SiteSettings.objects.get_or_create(pk=1)[0]
    site.signup_mode = SignupMode.OPEN if mode == "paused" else SignupMode(mode)
    site.guests_paused = mode == "paused"
    site.held_first_comments = HELD_FIRST
    site.guest_link_limit = LINK_LIMIT
    site.invitations_per_day = 0
    site.save()
    caches["shared"].clear()
    return {}


def child_count(mode: str) -> dict:
    """What the bots left in the database in this mode."""
    from fanfold.accounts.models import User
    from fanfold.comments.models import Comment, CommentStatus

    bots = User.objects.filter(username__startswith=f"bot-{mode}-")
    comments = Comment.objects.filter(body__contains=f"[{mode}]")
    return {
        "accounts": bots.count(),
        "accounts_confirmed": bots.filter(email_verified=True).count(),
        "published": comments.filter(status=CommentStatus.PUBLISHED).count(),
        "held": comments.filter(status=CommentStatus.PENDING).count(),
    }


def child_main(args: list[str]) -> None:
    _django()
    kind, *rest = args
    handlers = {
        "prepare": lambda: child_prepare(),
        "configure": lambda: child_configure(rest[0]),
        "count": lambda: child_count(rest[0]),
    }
    print(json.dumps(handlers[kind]()))


def child(env: dict[str, str], *args: str) -> dict:
    return run_child(__file__, env, ["--child", *args], timeout=900)


# --- the bots ----------------------------------------------------------------------------


@dataclass
class Tally:
    attempts: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    def add(self, status: int) -> None:
        self.attempts += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1


@dataclass
class BotPlan:
    """One bot's attempt: what it fetched, and how it will post."""

    browser: Browser
    path: str
    data: dict[str, str]
    patient: bool
    signed_up: bool = False


def _bot_browser(base: str, rng: random.Random) -> Browser:
    return Browser(base, f"10.66.0.{rng.randrange(BOT_ADDRESSES) + 1}")


def _signup_plan(base: str, mode: str, n: int, rng: random.Random) -> BotPlan:
    """Kinds by n % 10: 0-3 post the instant they have the form; 4-5 fill the honeypot;
    6-7 never fetch the form (no stamp); 8-9 wait like a person. None has an
    invitation or ever confirms its address."""
    browser = _bot_browser(base, rng)
    kind = n % 10
    # The blind ones got a CSRF cookie from some other page, never the sign-up form.
    page = browser.get("/login" if kind in (6, 7) else "/signup")
    name = f"bot-{mode}-{n}"
    data = {
        "username": name,
        "email": f"{name}@spam.example",
        "password1": "Winning-Lottery-2026",
        "password2": "Winning-Lottery-2026",
        "form_stamp": "" if kind in (6, 7) else stamp_in(page.text),
        "website": "http://cheap-pills.example" if kind in (4, 5) else "",
    }
    return BotPlan(browser, "/signup", data, patient=kind >= 4)


def _comment_plan(
    base: str, mode: str, n: int, rng: random.Random, works: list, members: list[Browser]
) -> BotPlan:
    """Kinds by n % 5: 0-1 a guest posting at once; 2 a guest filling the honeypot;
    3 a patient guest; 4 a bot that got an account (a patient guest where none did).
    Every one carries five links."""
    work_id, chapter_id = rng.choice(works)
    kind = n % 5
    as_member = kind == 4 and members
    browser = rng.choice(members) if as_member else _bot_browser(base, rng)
    page = browser.get(f"/works/{work_id}/chapters/{chapter_id}")
    data = {
        "chapter": str(chapter_id),
        "body": f"[{mode}] Great story!! Visit {SPAM_LINKS}",
        "form_stamp": stamp_in(page.text),
        "website": "http://cheap-pills.example" if kind == 2 else "",
    }
    if not as_member:
        data.update(guest_name="Best Deals", guest_email=f"deals{n}@spam.example")
    return BotPlan(browser, f"/works/{work_id}/comments", data, patient=kind >= 2)


def _send(plan: BotPlan, tally: Tally) -> BotPlan:
    answer = plan.browser.post(plan.path, plan.data)
    tally.add(answer.status)
    plan.signed_up = plan.path == "/signup" and answer.status == 302
    return plan


def _swarm(make_plan, count: int, tally: Tally, wait: float, pool: ThreadPoolExecutor) -> list:
    """Each impatient bot posts the moment it has its page; the patient ones fetch
    theirs, wait as long as a person would, and post together."""

    def attempt(n: int) -> BotPlan:
        plan = make_plan(n)
        return plan if plan.patient else _send(plan, tally)

    plans = list(pool.map(attempt, range(count)))
    time.sleep(wait)
    list(pool.map(lambda plan: _send(plan, tally), [p for p in plans if p.patient]))
    return plans


# --- one mode ------------------------------------------------------------------------------


@dataclass
class ModeResult:
    mode: str
    signups: Tally
    comments: Tally
    counts: dict
    legit: Legit

    # Counted in the database: an attempt that left no account or comment was refused,
    # whatever the answer looked like (a re-shown form, 400, 403 or 429).
    @property
    def signups_refused(self) -> int:
        return self.signups.attempts - self.counts["accounts"]

    @property
    def comments_refused(self) -> int:
        return self.comments.attempts - self.counts["published"] - self.counts["held"]


def run_mode(
    server: Server, env: dict[str, str], mode: str, data: dict, args, mail: MailDrop
) -> ModeResult:
    child(env, "configure", mode)
    time.sleep(5.5)  # every server process's cached settings (5 s) have the new mode now
    rng = random.Random(f"{mode}-{args.signups}-{args.comments}")
    wait = float(env["FORM_MIN_SECONDS"]) + 0.5
    signups, comments = Tally(), Tally()
    with ThreadPoolExecutor(max_workers=16) as pool:
        address = f"10.88.1.{MODES.index(mode)}"  # the member's own address in each mode
        legit_future = pool.submit(legit_flow, server, mode, data, mail, address)
        plans = _swarm(
            lambda n: _signup_plan(server.base, mode, n, rng), args.signups, signups, wait, pool
        )
        members = [p.browser for p in plans if p.signed_up]
        _swarm(
            lambda n: _comment_plan(server.base, mode, n, rng, data["works"], members),
            args.comments,
            comments,
            wait,
            pool,
        )
        legit = legit_future.result()
    return ModeResult(mode, signups, comments, child(env, "count", mode), legit)


# --- the run ---------------------------------------------------------------------------------


def backend_env(backend: str, smoke: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL", "REDIS_URL")}
    data_dir = RESULTS / f"spam-{backend}"
    env.update(
        FANFOLD_VAR_DIR=str(data_dir),
        FANFOLD_HTTPS="0",
        DJANGO_SETTINGS_MODULE="fanfold.settings",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(50),
        # Every bot and the member come from an address of their own, as on the internet.
        CLIENT_IP_HEADER="HTTP_X_BENCH_IP",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(data_dir / "mail"),
        LOG_LEVEL="ERROR",
        WEB_LOG_LEVEL="error",
    )
    # The smoke run waits for the time trap like everyone else, just not as long.
    env.setdefault("FORM_MIN_SECONDS", "1" if smoke else "3")
    if backend == "postgres":
        env["DATABASE_URL"] = PG_URL
    return env


def reset_database(backend: str, env: dict[str, str]) -> None:
    data_dir = Path(env["FANFOLD_VAR_DIR"])
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    if backend == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS fanfold_bench_spam WITH (FORCE)")
            c.execute("CREATE DATABASE fanfold_bench_spam")


def print_table(results: list[ModeResult]) -> None:
    print()
    print(
        "| mode | bot sign-ups: made / refused | bot comments: through / held / refused | member |"
    )
    print("|---|---|---|---|")
    for r in results:
        c = r.counts
        accounts = f"{c['accounts']}" + (
            " (unconfirmed)" if r.mode == "confirm" and c["accounts"] else ""
        )
        print(
            f"| {r.mode} | {accounts} / {r.signups_refused} of {r.signups.attempts} "
            f"| {c['published']} / {c['held']} / {r.comments_refused} of {r.comments.attempts}"
            f" | {'ok' if r.legit.ok else 'FAILED'} |"
        )
    print()
    for r in results:
        print(f"{r.mode}: statuses sign-ups {dict(sorted(r.signups.statuses.items()))}, "
              f"comments {dict(sorted(r.comments.statuses.items()))}")  # fmt: skip
        print(f"{r.mode}: member: {'; '.join(r.legit.steps)}")


def main() -> None:
    args = parse_args()
    if args.child:
        child_main(args.child)
        return
    if args.smoke:
        args.signups, args.comments = 10, 20
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    env = backend_env(args.backend, args.smoke)
    step(f"{args.backend}: building a throwaway archive")
    reset_database(args.backend, env)
    data = child(env, "prepare")
    mail = MailDrop(Path(env["EMAIL_FILE_PATH"]))
    results = []
    server = Server(env, workers=2)
    env["SITE_URL"] = server.base  # links in the worker's e-mail point at this server
    with server:
        for mode in modes:
            step(f"{mode}: {args.signups} bot sign-ups and {args.comments} bot comments")
            started = time.monotonic()
            results.append(run_mode(server, env, mode, data, args, mail))
            print(f"    done in {time.monotonic() - started:.0f} s", flush=True)
    print_table(results)
    through = sum(r.counts["published"] for r in results)
    held = sum(r.counts["held"] for r in results)
    refused = sum(r.signups_refused + r.comments_refused for r in results)
    accounts = sum(r.counts["accounts"] for r in results)
    legit_ok = int(all(r.legit.ok for r in results))
    print(
        f"spam: through={through} held={held} refused={refused} accounts={accounts} "
        f"legit_ok={legit_ok}"
    )
    sys.exit(0 if legit_ok and not through else 1)


if __name__ == "__main__":
    main()
