"""The authorisation matrix: every staff endpoint by every kind of viewer.

Each row names an endpoint, the method and data to call it with, and the permission it
needs (or a rule for endpoints open to any staff member). The expected answer for each
viewer follows from `roles.ROLE_PERMISSIONS`, so the table states each rule once.
`test_every_staff_endpoint_is_in_the_matrix` walks the URL configuration: a new staff
view without a row here fails the suite.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from fanfold.comments.services import CommentFields, comment_create
from fanfold.news.services import NewsPostFields, news_post_create
from fanfold.reports.actions import ActionFields, action_take
from fanfold.reports.appeals import appeal_create
from fanfold.reports.models import ReportReason
from fanfold.reports.services import report_create
from fanfold.reports.targets import target_for_viewer
from fanfold.sanctions.cleanup import member_hide_everything
from fanfold.sanctions.services import member_ban, member_suspend, member_warn
from fanfold.staff.roles import ROLE_PERMISSIONS, Role
from fanfold.staff.services import wrangler_assign
from fanfold.tags.models import Tag, TagType

pytestmark = pytest.mark.django_db

ANY_STAFF = "any staff role"
NEWS_FORM = {"title": "Matrix news", "text_format": "plain", "body": "Hello.", "published": "on"}
PAGE_FORM = {
    "title": "About us",
    "slug": "about",
    "text_format": "plain",
    "body": "We are the archive.",
    "order": "1",
}


@dataclass(frozen=True)
class Endpoint:
    url_name: str
    perm: str
    method: str = "GET"
    args: Callable[[dict], list] = lambda world: []
    data: Callable[[dict], dict] = field(default=lambda world: {})

    @property
    def id(self) -> str:
        return f"{self.method} {self.url_name}"


def _fandom_args(world: dict) -> list:
    return [world["wrangler"].pk, world["held"].pk]


def _report_args(world: dict) -> list:
    return ["comment", world["comment"].pk]


def _reported(comment, root) -> dict:
    """A guest's report on `comment` and an appeal of an action taken on another one."""
    spam = ReportReason.objects.get(label="Spam")

    def report(target_comment):
        target = target_for_viewer(kind="comment", object_id=target_comment.pk, viewer=None)
        return report_create(target=target, reason=spam, text="", reporter=None, email="g@x.org")

    other = comment_create(work=comment.work, user=comment.user, data=CommentFields(body="Again"))
    acted = report(other)
    action = action_take(report=acted, actor=root, data=ActionFields(kind="hide", reason="No."))
    appeal = appeal_create(action=action, text="Please.", sender=None)
    return {"report": report(comment), "appeal": appeal, "reason": spam}


MATRIX: list[Endpoint] = [
    Endpoint("staff:dashboard", ANY_STAFF),
    Endpoint("staff:roles", "manage_roles"),
    Endpoint(
        "staff:roles",
        "manage_roles",
        "POST",
        data=lambda w: {"username": w["target"].username, "roles": ["support"]},
    ),
    Endpoint(
        "staff:fandom_assign",
        "manage_roles",
        "POST",
        data=lambda w: {"wrangler": w["wrangler"].username, "fandom": w["held"].name},
    ),
    Endpoint("staff:fandom_unassign", "manage_roles", "POST", args=_fandom_args),
    Endpoint("staff:fandoms", "wrangle_tags"),
    Endpoint("staff:fandoms", "wrangle_tags", "POST", data=lambda w: {"fandom": w["free"].name}),
    Endpoint("staff:fandom_give_back", "wrangle_tags", "POST", args=lambda w: [w["free"].pk]),
    Endpoint("staff:audit", "view_audit_log"),
    Endpoint("moderation:works", "approve_works"),
    Endpoint(
        "moderation:decide",
        "approve_works",
        "POST",
        args=lambda w: [w["work"].pk, "reject"],
        data=lambda w: {f"w{w['work'].pk}-message": "Please tag the rating."},
    ),
    Endpoint("archive:staff_settings", "manage_settings"),
    Endpoint(
        "archive:staff_settings",
        "manage_settings",
        "POST",
        data=lambda w: {"site_name": "Harbour", "signup_mode": "open", "held_first_comments": 0},
    ),
    Endpoint("archive:staff_lockdown", "lockdown"),
    Endpoint("archive:staff_lockdown", "lockdown", "POST", data=lambda w: {"guests_paused": "on"}),
    Endpoint("invitations:staff", "manage_invitations"),
    Endpoint(
        "invitations:staff", "manage_invitations", "POST", data=lambda w: {"action": "oldest"}
    ),
    Endpoint(
        "invitations:staff",
        "manage_invitations",
        "POST",
        data=lambda w: {"action": "give", "username": w["target"].username, "count": 1},
    ),
    Endpoint("comments:held", "moderate_comments"),
    Endpoint(
        "comments:hide",
        "hide_content",
        "POST",
        args=lambda w: [w["comment"].pk, "hide"],
        data=lambda w: {"reason": "Spam."},
    ),
    Endpoint("sanctions:members", "view_member_records"),
    Endpoint("sanctions:record", "view_member_records", args=lambda w: [w["offender"].username]),
    Endpoint(
        "sanctions:act",
        "sanction_members",
        "POST",
        args=lambda w: [w["offender"].username, "warn"],
        data=lambda w: {"warn-reason": "Mind the rules."},
    ),
    Endpoint("sanctions:lift", "sanction_members", "POST", args=lambda w: [w["sanction"].pk]),
    Endpoint("sanctions:restore", "sanction_members", "POST", args=lambda w: [w["cleanup"].pk]),
    Endpoint("reports:queue", "view_reports"),
    Endpoint("reports:group", "view_reports", args=_report_args),
    Endpoint("reports:group_assign", "handle_reports", "POST", args=_report_args),
    Endpoint("reports:group_dismiss", "handle_reports", "POST", args=_report_args),
    Endpoint("reports:group_resolve", "handle_reports", "POST", args=_report_args),
    Endpoint(
        "reports:group_act",
        "handle_reports",
        "POST",
        args=lambda w: [*_report_args(w), "hide"],
        data=lambda w: {"hide-reason": "Insults.", "hide-close": "on"},
    ),
    Endpoint(
        "reports:message",
        "answer_reporters",
        "POST",
        args=lambda w: [w["report"].pk],
        data=lambda w: {"text": "Which line?"},
    ),
    Endpoint("reports:appeal", "view_reports", args=lambda w: [w["appeal"].pk]),
    Endpoint("reports:appeal_assign", "handle_reports", "POST", args=lambda w: [w["appeal"].pk]),
    Endpoint(
        "reports:appeal_decide",
        "handle_reports",
        "POST",
        args=lambda w: [w["appeal"].pk],
        data=lambda w: {"decision": "uphold", "answer": "It stands."},
    ),
    Endpoint("reports:reasons", "manage_settings"),
    Endpoint("reports:reasons", "manage_settings", "POST", data=lambda w: {"label": "Scam"}),
    Endpoint("reports:reason_edit", "manage_settings", args=lambda w: [w["reason"].pk]),
    Endpoint(
        "reports:reason_edit",
        "manage_settings",
        "POST",
        args=lambda w: [w["reason"].pk],
        data=lambda w: {"label": "Spam", "position": 0},
    ),
    Endpoint("tags:wrangle", "wrangle_tags"),
    Endpoint(
        "tags:wrangle_bulk",
        "wrangle_tags",
        "POST",
        data=lambda w: {"action": "canonical", "tags": [w["loose"].pk]},
    ),
    Endpoint("tags:edit", "wrangle_tags", args=lambda w: [w["free"].url_name]),
    Endpoint(
        "tags:edit",
        "wrangle_tags",
        "POST",
        args=lambda w: [w["free"].url_name],
        data=lambda w: {"action": "canonical", "canonical": "1"},
    ),
    Endpoint("news:new", "post_news"),
    Endpoint("news:new", "post_news", "POST", data=lambda w: NEWS_FORM),
    Endpoint("news:edit", "post_news", args=lambda w: [w["news"].pk]),
    Endpoint(
        "news:edit", "post_news", "POST", args=lambda w: [w["news"].pk], data=lambda w: NEWS_FORM
    ),
    Endpoint("news:delete", "post_news", args=lambda w: [w["news"].pk]),
    Endpoint("news:delete", "post_news", "POST", args=lambda w: [w["news"].pk]),
    Endpoint("pages:new", "edit_pages"),
    Endpoint("pages:new", "edit_pages", "POST", data=lambda w: PAGE_FORM),
    Endpoint("pages:edit", "edit_pages", args=lambda w: ["about"]),
    Endpoint(
        "pages:edit", "edit_pages", "POST", args=lambda w: ["about"], data=lambda w: PAGE_FORM
    ),
    Endpoint("pages:delete", "edit_pages", args=lambda w: ["faq"]),
    Endpoint("pages:delete", "edit_pages", "POST", args=lambda w: ["faq"]),
]

OUTSIDERS = ("guest", "member", "suspended", "banned", "deactivated")
VIEWERS = [*OUTSIDERS, "superuser", "suspended moderator", *[role.value for role in Role]]


def _allowed(endpoint: Endpoint, viewer: str) -> bool:
    if viewer in OUTSIDERS:
        return False
    if viewer == "suspended moderator":
        # Staff keep reading their pages while suspended; the write gate refuses changes.
        return endpoint.method == "GET" and _allowed(endpoint, Role.MODERATOR.value)
    if viewer == "superuser":
        return True
    if endpoint.perm == ANY_STAFF:
        return True
    return endpoint.perm in ROLE_PERMISSIONS[Role(viewer)]


@pytest.fixture
def world(make_user, make_work):
    people: dict[str, Any] = {"guest": None, "member": make_user("plainmember")}
    people["deactivated"] = make_user("gone", roles=[Role.ADMINISTRATOR])
    people["deactivated"].is_active = False
    people["deactivated"].save()
    people["superuser"] = make_user("root", is_superuser=True)
    people["suspended"] = make_user("paused")
    member_suspend(
        actor=people["superuser"],
        member=people["suspended"],
        until=timezone.now() + datetime.timedelta(days=7),
        reason="Flooding comments.",
    )
    people["suspended moderator"] = make_user("benched", roles=[Role.MODERATOR])
    member_suspend(
        actor=people["superuser"],
        member=people["suspended moderator"],
        until=timezone.now() + datetime.timedelta(days=7),
        reason="Acted on their own report.",
    )
    people["banned"] = make_user("outcast")
    member_ban(actor=people["superuser"], member=people["banned"], reason="Spam.", hide_works=True)
    for role in Role:
        people[role.value] = make_user(f"staff-{role.value}", roles=[role])
    held = Tag.objects.create(name="Harbour Tales", type=TagType.FANDOM, canonical=True)
    free = Tag.objects.create(name="Lighthouse Keepers", type=TagType.FANDOM, canonical=True)
    loose = Tag.objects.create(name="Keeper's Lamp", type=TagType.FREEFORM)  # in no fandom
    wrangler = people["wrangler"]
    wrangler_assign(actor=people["superuser"], wrangler=wrangler, fandom=held)
    news = news_post_create(
        author=people["superuser"], data=NewsPostFields(title="Matrix", body="Text.")
    )
    work = make_work(title="Waiting Tide", post=True)
    work.approval = "pending"
    work.save(update_fields=["approval"])
    offender = make_user("offender")
    spammer = make_user("spammer")
    shown = make_work(offender, title="Open Sea")
    comment = comment_create(
        work=shown, user=offender, chapter=shown.chapters.get(), data=CommentFields(body="Hi")
    )
    root = people["superuser"]
    return {
        "offender": offender,
        "comment": comment,
        "sanction": member_warn(actor=root, member=offender, reason="First warning."),
        "cleanup": member_hide_everything(actor=root, member=spammer, reason="Spam."),
        "people": people,
        "target": make_user("promoted"),
        "wrangler": wrangler,
        "held": held,
        "free": free,
        "loose": loose,
        "work": work,
        "news": news,
        **_reported(comment, root),
    }


def _refused(response, viewer: str) -> bool:
    if response.status_code == 403:
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and reverse("accounts:login") in location


@pytest.mark.parametrize("endpoint", MATRIX, ids=lambda e: e.id)
def test_matrix(client, world, endpoint):
    url = reverse(endpoint.url_name, args=endpoint.args(world))
    wrong = []
    for viewer in VIEWERS:
        client.logout()
        person = world["people"][viewer]
        if person is not None:
            client.force_login(person)
        call = client.post if endpoint.method == "POST" else client.get
        response = call(url, endpoint.data(world))
        assert response.status_code < 500, (viewer, response.status_code)
        if _refused(response, viewer) == _allowed(endpoint, viewer):
            wrong.append((viewer, response.status_code))
    assert not wrong, f"{endpoint.id}: wrong answers for {wrong}"


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            yield from _patterns(entry, prefix + namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + (entry.name or ""), str(entry.pattern), entry.callback


STAFF_PREFIXES = ("staff/", "moderation/")


def test_every_staff_endpoint_is_in_the_matrix():
    listed = {endpoint.url_name for endpoint in MATRIX}
    missing = []
    for name, route, callback in _patterns(get_resolver()):
        if name.startswith("admin:"):
            continue  # Django's admin asks for each model's own permissions.
        is_staff_view = hasattr(callback, "staff_permission") or route.startswith(STAFF_PREFIXES)
        if is_staff_view and name not in listed:
            missing.append(f"{name} ({route})")
    assert not missing, f"staff endpoints without a row in the matrix: {missing}"


def test_rows_name_the_permission_their_view_checks():
    by_name = {name: callback for name, _, callback in _patterns(get_resolver())}
    for endpoint in MATRIX:
        declared = getattr(by_name[endpoint.url_name], "staff_permission", ANY_STAFF)
        assert declared == endpoint.perm, endpoint.id
