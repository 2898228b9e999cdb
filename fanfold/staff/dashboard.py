"""What the staff dashboard offers, by permission. Each staff feature adds its line here;
a line whose page is not installed (its URL name does not resolve) is left out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from fanfold.staff.permissions import has_perm


@dataclass(frozen=True)
class Entry:
    perm: str
    url_name: str
    title: str
    about: str


ENTRIES: list[Entry] = [
    Entry("view_reports", "reports:queue", _("Reports"), _("What readers reported, and appeals.")),
    Entry(
        "manage_settings", "reports:reasons", _("Report reasons"), _("The reasons reporters pick.")
    ),
    Entry(
        "approve_works", "moderation:works", _("Approval queue"), _("Works waiting for approval.")
    ),
    Entry("view_member_records", "sanctions:members", _("Members"), _("Staff records of members.")),
    Entry("wrangle_tags", "tags:wrangle", _("Tag wrangling"), _("Tags nobody has wrangled yet.")),
    Entry(
        "wrangle_tags", "staff:fandoms", _("My fandoms"), _("Fandoms you wrangle; take free ones.")
    ),
    Entry(
        "moderate_comments",
        "comments:held",
        _("Held comments"),
        _("Spam defence: approve or delete."),
    ),
    Entry(
        "manage_invitations",
        "invitations:staff",
        _("Invitations"),
        _("Requests; members' invitations."),
    ),
    Entry("post_news", "news:index", _("News"), _("Post news for the archive.")),
    Entry("edit_pages", "pages:index", _("Pages"), _("About, FAQ, Rules, Terms and others.")),
    Entry(
        "lockdown",
        "archive:staff_lockdown",
        _("Lockdown"),
        _("Pause sign-ups and guests; maintenance."),
    ),
    Entry(
        "manage_settings", "archive:staff_settings", _("Site settings"), _("Name, sign-up, limits.")
    ),
    Entry("manage_roles", "staff:roles", _("Staff and roles"), _("Who holds which role.")),
    Entry(
        "view_audit_log", "staff:audit", _("Audit log"), _("Every staff action and security event.")
    ),
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
