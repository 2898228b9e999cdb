"""What the staff dashboard offers, by permission. Each staff feature adds its line here;
a line whose page is not installed (its URL name does not resolve) is left out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from fanfold.staff.permissions import has_perm


@dataclass(frozen=True)
class Entry:
    perm: str
    url_name: str
    title: str
    about: str


ENTRIES: list[Entry] = [
    Entry("view_reports", "reports:queue", "Reports", "What readers reported, and appeals."),
    Entry("manage_settings", "reports:reasons", "Report reasons", "The reasons reporters pick."),
    Entry("approve_works", "moderation:works", "Approval queue", "Works waiting for approval."),
    Entry("view_member_records", "sanctions:members", "Members", "Staff records of members."),
    Entry("wrangle_tags", "tags:wrangle", "Tag wrangling", "Tags nobody has wrangled yet."),
    Entry("wrangle_tags", "staff:fandoms", "My fandoms", "Fandoms you wrangle; take free ones."),
    Entry(
        "moderate_comments", "comments:held", "Held comments", "Spam defence: approve or delete."
    ),
    Entry(
        "manage_invitations", "invitations:staff", "Invitations", "Requests; members' invitations."
    ),
    Entry("post_news", "news:index", "News", "Post news for the archive."),
    Entry("edit_pages", "pages:index", "Pages", "About, FAQ, Rules, Terms and others."),
    Entry(
        "lockdown", "archive:staff_lockdown", "Lockdown", "Pause sign-ups and guests; maintenance."
    ),
    Entry("manage_settings", "archive:staff_settings", "Site settings", "Name, sign-up, limits."),
    Entry("manage_roles", "staff:roles", "Staff and roles", "Who holds which role."),
    Entry("view_audit_log", "staff:audit", "Audit log", "Every staff action and security event."),
]


def dashboard_entries(user: Any) -> list[dict[str, str]]:
    """The entries `user` may open, with their addresses."""
    shown = []
    for entry in ENTRIES:
        if not has_perm(user, entry.perm):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        shown.append({"url": url, "title": entry.title, "about": entry.about})
    return shown
