"""Where eFiction's texts (its `messages` table) go, shared by the importer and the old
`viewpage.php` address so the two cannot disagree."""

from __future__ import annotations

from django.utils.text import slugify

from fanfold.pages.models import RULES, SLUG_MAX, TERMS

# Messages that were pages in eFiction and have a page of the same meaning here.
NAMED_PAGES = {"rules": RULES, "tos": TERMS, "help": "help"}


def page_slug(message_name: str) -> str:
    """The address (/pages/<slug>) an eFiction page is imported to."""
    name = message_name.strip().lower()
    if name in NAMED_PAGES:
        return NAMED_PAGES[name]
    return slugify(name)[:SLUG_MAX]
