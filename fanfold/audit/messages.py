"""Labels and notes the site writes into the audit trail, kept as a code and its values
and put into words when a page shows them, in the language of whoever reads the log.

Entries written before codes existed (or by code that passes plain text) keep their
stored English text: `entry_label` and `entry_note` fall back to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

# The object an entry is about, named as a staff member reads it in the log.
LABELS = {
    "work": _("work “%(title)s”"),
    "chapter": _("chapter %(position)s of “%(title)s”"),
    "comment": _("comment on “%(title)s”"),
    "bookmark": _("bookmark of “%(title)s”"),
    "sanction.warning": _("warning of %(member)s"),
    "sanction.suspension": _("suspension of %(member)s"),
    "sanction.ban": _("ban of %(member)s"),
    "invitation_requests": ngettext_lazy(
        "%(count)s invitation request", "%(count)s invitation requests", "count"
    ),
}
# Reasons written by the site itself rather than typed by a person.
NOTES = {
    "revised.rating": _("The creator edited the work after a request to re-rate it."),
    "revised.tags": _("The creator edited the work after a request to re-tag it."),
    "reopened.rating": _("%(member)s edited the work after a request to re-rate it."),
    "reopened.tags": _("%(member)s edited the work after a request to re-tag it."),
}


def worded(table: Mapping[str, Any], code: str, values: Mapping[str, Any], stored: str) -> str:
    """`code`'s sentence with `values`, in the active language; `stored` when the code
    is unknown (an older entry, a code since retired) or its values no longer fit."""
    sentence = table.get(code)
    if sentence is None:
        return stored
    try:
        # `%` on the lazy text picks the plural form by its number (ngettext_lazy).
        return str(sentence % dict(values))
    except (KeyError, TypeError, ValueError):
        return stored


def in_english(table: Mapping[str, Any], code: str, values: Mapping[str, Any]) -> str:
    """The stored text for a coded label or note: English, the log's language before
    codes, so tools reading the column (and the search by text) still find it."""
    with translation.override("en"):
        return worded(table, code, values, "")
