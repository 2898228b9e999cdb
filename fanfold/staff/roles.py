"""Staff roles and the permissions each one carries.

A role is a Django group of the same name; its permissions are defined here, in code, and
written to the group after every `migrate` (`services.role_groups_sync`), so a deployment
can never drift from what the code checks. A member may hold several roles. Superusers
hold every permission (Django's rule), which is how the first administrator made by
`make run` starts out.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    MODERATOR = "moderator", _("Moderator")
    WRANGLER = "wrangler", _("Tag wrangler")
    SUPPORT = "support", _("Support")


# codename -> what it lets a staff member do. Codenames live on `staff.StaffAccess`, so
# checks read `user.has_perm("staff.<codename>")`.
PERMISSIONS: dict[str, str] = {
    "manage_roles": "Give and take staff roles; assign fandoms to wranglers",
    "manage_settings": "Change the site settings",
    "edit_pages": "Write and edit the archive's pages (About, Rules, Terms, …)",
    "post_news": "Post and edit news",
    "lockdown": "Pause sign-ups and guest activity, or make the archive read-only",
    "view_reports": "Read reports and the moderation queue",
    "answer_reporters": "Write to the people who reported something",
    "handle_reports": "Take actions on reports, dismiss them and answer appeals",
    "hide_content": "Hide and unhide works, chapters, comments and bookmarks",
    "approve_works": "Approve or reject works waiting for approval",
    "moderate_comments": "Hide, unhide and approve comments anywhere",
    "feature_works": "Feature works on the home page",
    "sanction_members": "Warn, suspend and ban members; clean up spam accounts",
    "manage_invitations": "Approve invitation requests and give invitations",
    "view_member_records": "Read members' staff records (reports, actions, addresses)",
    "view_audit_log": "Read the audit log",
    "wrangle_tags": "Wrangle tags in assigned fandoms and the unassigned pool",
}

_MODERATOR = frozenset(
    {
        "post_news",
        "lockdown",
        "view_reports",
        "answer_reporters",
        "handle_reports",
        "hide_content",
        "approve_works",
        "moderate_comments",
        "feature_works",
        "sanction_members",
        "manage_invitations",
        "view_member_records",
        "view_audit_log",
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(PERMISSIONS),
    Role.MODERATOR: _MODERATOR,
    Role.WRANGLER: frozenset({"wrangle_tags"}),
    Role.SUPPORT: frozenset({"view_reports", "answer_reporters", "view_member_records"}),
}

# When an action could have been taken under several roles, the audit log names the
# narrowest one that allows it (a moderator-and-administrator hiding a comment acted as
# moderator).
ROLE_ORDER = [Role.SUPPORT, Role.WRANGLER, Role.MODERATOR, Role.ADMINISTRATOR]
