"""The legitimate member of the spam test (bench/spam.py): signs up, confirms the address
from the mail file, and comments at a person's pace, alongside the bots."""

from __future__ import annotations

import os
import re
import time
import urllib.parse
from dataclasses import dataclass, field

from _browser import Answer, Browser, MailDrop, stamp_in
from _common import Server


def _person_pause() -> None:
    # A person takes longer than the time trap to fill in a form.
    time.sleep(float(os.environ.get("FORM_MIN_SECONDS", "3")) + 0.5)


@dataclass
class Legit:
    ok: bool = False
    steps: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.steps.append(f"FAILED: {message}")
        raise AssertionError(message)


def _legit_comment(
    server: Server, me: Browser, author: Browser, works: list, text: str, held: bool
) -> str:
    """Comment like a person; if the new-member rule holds it, the creator approves it.
    Returns what happened."""
    work_id, chapter_id = works[0]
    page = me.get(f"/works/{work_id}/chapters/{chapter_id}")
    _person_pause()
    answer = me.post(
        f"/works/{work_id}/comments",
        {"chapter": str(chapter_id), "body": text, "form_stamp": stamp_in(page.text)},
    )
    if answer.status != 302 or "#comment_" not in answer.location:
        raise AssertionError(f"comment answered {answer.status}")
    comment_id = answer.location.rsplit("_", 1)[1]
    public = Browser(server.base, "10.77.0.1")
    if held:
        if text in public.get(f"/works/{work_id}/chapters/{chapter_id}").text:
            raise AssertionError("a held comment was public before approval")
        approved = author.post(f"/comments/{comment_id}/approve", {})
        if approved.status != 302:
            raise AssertionError(f"approval answered {approved.status}")
    if text not in public.get(f"/works/{work_id}/chapters/{chapter_id}").text:
        raise AssertionError("the comment is not on the public page")
    return "held, approved, public" if held else "public"


def _legit_sign_up(server: Server, me: Browser, name: str, invitation: str = "") -> Answer:
    page = me.get("/signup" + (f"?invitation={invitation}" if invitation else ""))
    _person_pause()
    data = {
        "username": name,
        "email": f"{name}@example.org",
        "password1": "lamp-oil-and-salt",
        "password2": "lamp-oil-and-salt",
        "form_stamp": stamp_in(page.text),
    }
    if invitation:
        data["invitation"] = invitation
    return me.post("/signup", data)


def legit_flow(server: Server, mode: str, data: dict, mail: MailDrop, address: str) -> Legit:
    result = Legit()
    sessions, works = data["sessions"], data["works"]
    author = Browser(server.base, "10.88.0.2", sessions["author"])
    name = f"member-{mode}"
    email = f"{name}@example.org"
    me = Browser(server.base, address)
    try:
        if mode in ("closed", "paused"):
            page = me.get("/signup")
            if "closed" not in page.text and "paused" not in page.text:
                result.fail("the sign-up page does not say it is closed")
            result.steps.append("sign-up page says so")
            me = Browser(server.base, "10.88.0.3", sessions["oldhand"])
            result.steps.append(
                "long-standing member: "
                + _legit_comment(server, me, author, works, f"Kind words {mode}.", held=False)
            )
            result.ok = True
            return result
        token = ""
        if mode == "invite":
            token = _legit_invitation(server, me, email, sessions["admin"], mail)
            result.steps.append("asked, approved by staff, invitation mailed")
        answer = _legit_sign_up(server, me, name, token)
        if answer.status != 302:
            result.fail(f"sign-up answered {answer.status}")
        result.steps.append("signed up")
        if mode == "confirm":
            work_id, chapter_id = works[0]
            early = me.post(
                f"/works/{work_id}/comments", {"chapter": str(chapter_id), "body": "Too soon"}
            )
            if early.status != 403 or "confirm your e-mail" not in early.text:
                result.fail(f"an unconfirmed comment answered {early.status}")
            result.steps.append("told to confirm first")
        if mode != "invite":  # the invitation link already vouched for the address
            link = mail.link(email, r"http://\S+/verify-email/\S+")
            if me.get(urllib.parse.urlsplit(link).path).status != 302:
                result.fail("the confirmation link did not work")
            result.steps.append("confirmed from the mail")
        first = _legit_comment(server, me, author, works, f"First words {mode}.", held=True)
        second = _legit_comment(server, me, author, works, f"Second words {mode}.", held=False)
        result.steps += [f"first comment {first}", f"second comment {second}"]
        result.ok = True
    except (AssertionError, RuntimeError, OSError) as error:
        if not result.steps or not result.steps[-1].startswith("FAILED"):
            result.steps.append(f"FAILED: {error}")
    return result


def _legit_invitation(server: Server, me: Browser, email: str, admin_session: str, mail) -> str:
    page = me.get("/invitations/request")
    _person_pause()
    answer = me.post("/invitations/request", {"email": email, "form_stamp": stamp_in(page.text)})
    if answer.status != 200 or "on the list" not in answer.text:
        raise AssertionError(f"the invitation request answered {answer.status}")
    admin = Browser(server.base, "10.88.0.4", admin_session)
    queue = admin.get("/staff/invitations").text
    found = re.search(
        rf'value="(\d+)" id="request-\d+" aria-label="Send to {re.escape(email)}"', queue
    )
    if found is None:
        raise AssertionError("the request is not in the staff queue")
    admin.post("/staff/invitations", {"action": "approve", "requests": found.group(1)})
    link = mail.link(email, r"http://\S+/signup\?invitation=\S+")
    return link.rsplit("=", 1)[1]
